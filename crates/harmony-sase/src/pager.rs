//! Streams over the paged lists (`{data, page, totalPage, itemsTotal}`, 1-based pages).
//!
//! Progenitor generates streams only for token-paged APIs; these walk page numbers, holding
//! one page in memory at a time.

use std::future::Future;
use std::num::NonZeroU64;

use futures::{Stream, TryStreamExt, stream};

use crate::{Client, Error, builder, types};

/// One fetched page: its items and the total number of pages, when the server says.
struct Page<T> {
    items: Vec<T>,
    total_pages: Option<i64>,
}

/// Walks pages 1, 2, … until the server's `totalPage` or an empty page.
fn pages<'a, T, F, Fut>(mut fetch: F) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: FnMut(NonZeroU64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + 'a,
{
    stream::try_unfold(Some(NonZeroU64::MIN), move |next| {
        let fetched = next.map(&mut fetch);
        async move {
            let (Some(page), Some(fetched)) = (next, fetched) else {
                return Ok::<_, Error>(None);
            };
            let Page { items, total_pages } = fetched.await?;
            let last = is_last_page(page, items.len(), total_pages);
            let following = if last { None } else { page.checked_add(1) };
            Ok(Some((stream::iter(items.into_iter().map(Ok)), following)))
        }
    })
    .try_flatten()
}

impl From<types::UserList> for Page<types::User> {
    fn from(list: types::UserList) -> Self {
        Page {
            items: list.data,
            total_pages: list.total_page,
        }
    }
}

impl From<types::GroupList> for Page<types::Group> {
    fn from(list: types::GroupList) -> Self {
        Page {
            items: list.data,
            total_pages: list.total_page,
        }
    }
}

impl Client {
    /// Every user, across all pages. `configure` sets the query (`limit`, `q`, sorting) on each
    /// page's request; the page number is set by the stream.
    ///
    /// ```no_run
    /// # async fn run(client: harmony_sase::Client) -> Result<(), harmony_sase::Error> {
    /// use futures::TryStreamExt;
    /// let emails: Vec<_> = client
    ///     .users(|q| q.limit(std::num::NonZeroU64::new(100).unwrap()))
    ///     .map_ok(|user| user.email)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn users<'a>(
        &'a self,
        configure: impl for<'b> Fn(builder::ListUsers<'b>) -> builder::ListUsers<'b> + 'a,
    ) -> impl Stream<Item = Result<types::User, Error>> + 'a {
        pages(move |page| {
            let request = configure(self.list_users()).page(page);
            async move { Ok(request.send().await?.into_inner().into()) }
        })
    }

    /// Every group, across all pages; `configure` as for [`Client::users`].
    pub fn groups<'a>(
        &'a self,
        configure: impl for<'b> Fn(builder::ListGroups<'b>) -> builder::ListGroups<'b> + 'a,
    ) -> impl Stream<Item = Result<types::Group, Error>> + 'a {
        pages(move |page| {
            let request = configure(self.list_groups()).page(page);
            async move { Ok(request.send().await?.into_inner().into()) }
        })
    }
}

/// Whether `page`, which held `items` items, is the last: it is empty, or the response's
/// `totalPage` (when given) says so. The pager and `secapi --all` stop by this one rule.
pub fn is_last_page(page: NonZeroU64, items: usize, total_pages: Option<i64>) -> bool {
    items == 0 || total_pages.is_none_or(|total| page.get() >= total.max(0) as u64)
}
