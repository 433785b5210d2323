//! Streams over numbered pages: for list operations that take a 1-based page number and answer
//! with a page of items and, optionally, the total number of pages.
//!
//! Progenitor generates streams only for token-paged APIs; [`pages`] walks page numbers
//! instead, holding one page in memory at a time.

use std::future::Future;
use std::num::NonZeroU64;

use futures::{Stream, TryStreamExt, stream};

/// One fetched page: its items and the total number of pages, when the server says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The page's items, in the server's order.
    pub items: Vec<T>,
    /// The server's count of pages (a negative count counts as 0).
    pub total_pages: Option<i64>,
}

impl<T> Page<T> {
    /// A page of `items`, one of `total_pages` when the server says.
    pub fn new(items: Vec<T>, total_pages: Option<i64>) -> Self {
        Self { items, total_pages }
    }
}

/// Every item of pages 1, 2, …, each fetched by `fetch` when the previous one is used up, until
/// the last page by [`is_last_page`]. A failed fetch is the stream's last item.
pub fn pages<'a, T, E, F, Fut>(mut fetch: F) -> impl Stream<Item = Result<T, E>> + 'a
where
    T: 'a,
    E: 'a,
    F: FnMut(NonZeroU64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + 'a,
{
    stream::try_unfold(Some(NonZeroU64::MIN), move |next| {
        let fetched = next.map(&mut fetch);
        async move {
            let (Some(page), Some(fetched)) = (next, fetched) else {
                return Ok(None);
            };
            let Page { items, total_pages } = fetched.await?;
            let last = is_last_page(page, items.len(), total_pages);
            let following = if last { None } else { page.checked_add(1) };
            Ok(Some((stream::iter(items.into_iter().map(Ok)), following)))
        }
    })
    .try_flatten()
}

/// Whether `page`, which held `items` items, is the last: it is empty, the server gave no
/// total, or the page reaches the server's `total_pages`.
pub fn is_last_page(page: NonZeroU64, items: usize, total_pages: Option<i64>) -> bool {
    items == 0 || total_pages.is_none_or(|total| page.get() >= total.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of the stream over `served` (page n is `served[n - 1]`, an `Err` past its end)
    /// and the page numbers fetched.
    async fn walk(served: Vec<Page<u32>>) -> (Vec<Result<u32, String>>, Vec<u64>) {
        let mut asked = Vec::new();
        let items = pages(|page| {
            asked.push(page.get());
            let page = served.get(page.get() as usize - 1).cloned();
            async move { page.ok_or_else(|| "past the end".to_string()) }
        });
        let items = futures::StreamExt::collect::<Vec<_>>(items).await;
        (items, asked)
    }

    fn page(items: &[u32], total_pages: Option<i64>) -> Page<u32> {
        Page::new(items.to_vec(), total_pages)
    }

    #[tokio::test]
    async fn walks_until_the_total_an_empty_page_or_no_total() {
        let (items, asked) = walk(vec![page(&[1, 2], Some(2)), page(&[3], Some(2))]).await;
        assert_eq!(items, vec![Ok(1), Ok(2), Ok(3)]);
        assert_eq!(asked, vec![1, 2]);
        let (items, asked) = walk(vec![page(&[1], Some(9)), page(&[], Some(9))]).await;
        assert_eq!((items, asked), (vec![Ok(1)], vec![1, 2]));
        let (items, asked) = walk(vec![page(&[1], None), page(&[2], None)]).await;
        assert_eq!((items, asked), (vec![Ok(1)], vec![1]));
        let (items, asked) = walk(vec![page(&[1], Some(-1))]).await;
        assert_eq!((items, asked), (vec![Ok(1)], vec![1]));
    }

    #[tokio::test]
    async fn a_failed_fetch_ends_the_stream() {
        let (items, asked) = walk(vec![page(&[1], Some(5))]).await;
        assert_eq!(items, vec![Ok(1), Err("past the end".to_string())]);
        assert_eq!(asked, vec![1, 2]);
    }
}
