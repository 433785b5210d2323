//! Streams over the paged lists (`{data, page, totalPage, itemsTotal}`), walked by
//! [`client_runtime::pages`].

use client_runtime::{Page, pages};
use futures::Stream;

use crate::{Client, Error, builder, types};

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
            async move {
                let list = request.send().await?.into_inner();
                Ok(Page::new(list.data, list.total_page))
            }
        })
    }

    /// Every group, across all pages; `configure` as for [`Client::users`].
    pub fn groups<'a>(
        &'a self,
        configure: impl for<'b> Fn(builder::ListGroups<'b>) -> builder::ListGroups<'b> + 'a,
    ) -> impl Stream<Item = Result<types::Group, Error>> + 'a {
        pages(move |page| {
            let request = configure(self.list_groups()).page(page);
            async move {
                let list = request.send().await?.into_inner();
                Ok(Page::new(list.data, list.total_page))
            }
        })
    }
}
