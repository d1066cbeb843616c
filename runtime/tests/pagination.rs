//! Every pagination style over loopback HTTP, including servers that misbehave.

mod support;

use futures::{StreamExt, TryStreamExt};
use secgen_runtime::{Auth, Envelope, Error, Method, PageInfo, PagePosition, PageStyle, Paginated, Request};
use serde_json::{Value, json};
use support::{NumberPage, client};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A Sophos Central-style list: `{items, pages: {nextKey, current, total}}`.
#[derive(serde::Deserialize)]
struct CentralPage {
    items: Vec<String>,
    #[serde(default)]
    pages: Pages,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Pages {
    next_key: Option<String>,
    current: Option<u64>,
    total: Option<u64>,
}

impl Paginated for CentralPage {
    type Item = String;

    fn items(&self) -> &[String] {
        &self.items
    }

    fn into_items(self) -> Vec<String> {
        self.items
    }

    fn page_info(&self) -> PageInfo {
        PageInfo {
            next_key: self.pages.next_key.clone(),
            ..PageInfo::page_number(self.pages.current, self.pages.total)
        }
    }
}

/// A SIEM-style list: `{has_more, items, next_cursor}`.
#[derive(serde::Deserialize)]
struct SiemPage {
    items: Vec<String>,
    has_more: bool,
    next_cursor: String,
}

impl Paginated for SiemPage {
    type Item = String;

    fn items(&self) -> &[String] {
        &self.items
    }

    fn into_items(self) -> Vec<String> {
        self.items
    }

    fn page_info(&self) -> PageInfo {
        PageInfo::cursor(Some(self.next_cursor.clone()), Some(self.has_more))
    }
}

async fn page(server: &MockServer, matcher: impl wiremock::Match + 'static, body: Value) {
    Mock::given(path("/list"))
        .and(matcher)
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn list() -> Request {
    Request::new(Method::GET, "listThings", "/list").query("pageTotal", &true)
}

#[tokio::test]
async fn page_keys_are_followed_until_there_is_none() {
    let server = MockServer::start().await;
    page(
        &server,
        query_param_is_missing("pageFromKey"),
        json!({"items": ["a", "b"], "pages": {"nextKey": "2000818931339", "size": 2}}),
    )
    .await;
    page(
        &server,
        query_param("pageFromKey", "2000818931339"),
        json!({"items": ["c", "d"], "pages": {"nextKey": "2000818931341"}}),
    )
    .await;
    page(
        &server,
        query_param("pageFromKey", "2000818931341"),
        json!({"items": ["e"], "pages": {"size": 2, "maxSize": 500}}),
    )
    .await;
    let style = PageStyle::page_key("pageFromKey", Some("pageSize"), 2);
    let items: Vec<String> =
        client(&server.uri(), Auth::none()).paginate::<CentralPage>(list(), style).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|request| request.url.query().unwrap().contains("pageSize=2")));
}

#[tokio::test]
async fn a_repeated_page_key_stops_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    page(&server, query_param_is_missing("pageFromKey"), json!({"items": ["a"], "pages": {"nextKey": "k1"}})).await;
    page(&server, query_param("pageFromKey", "k1"), json!({"items": ["b"], "pages": {"nextKey": "k1"}})).await;
    let style = PageStyle::page_key("pageFromKey", None, 100);
    let mut pager = client(&server.uri(), Auth::none()).paginate::<CentralPage>(list(), style);
    let checkpoint = pager.checkpoint();
    assert_eq!(pager.next().await.unwrap().unwrap(), "a");
    assert_eq!(pager.next().await.unwrap().unwrap(), "b");
    let error = pager.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Pagination { operation: "listThings", .. }), "{error:?}");
    assert!(error.to_string().contains("page key `k1` again"), "{error}");
    assert!(pager.next().await.is_none());
    assert_eq!(checkpoint.get(), Some(PagePosition::Key("k1".into())));
}

#[tokio::test]
async fn page_numbers_end_at_the_total_or_at_an_empty_page() {
    let server = MockServer::start().await;
    page(
        &server,
        query_param("page", "1"),
        json!({"items": ["t1", "t2"], "pages": {"current": 1, "total": 2, "size": 2, "maxSize": 100}}),
    )
    .await;
    page(&server, query_param("page", "2"), json!({"items": ["t3"], "pages": {"current": 2, "total": 2}})).await;
    let style = PageStyle::page_number("page", Some("pageSize"), 2);
    let items: Vec<String> =
        client(&server.uri(), Auth::none()).paginate::<CentralPage>(list(), style.clone()).try_collect().await.unwrap();
    assert_eq!(items, ["t1", "t2", "t3"]);

    // Without a total, a page past the end (200, no items) is the end.
    let server = MockServer::start().await;
    page(&server, query_param("page", "1"), json!({"items": ["t1"], "pages": {"current": 1}})).await;
    page(&server, query_param("page", "2"), json!({"items": [], "pages": {"current": 2, "size": 50, "maxSize": 100}}))
        .await;
    let items: Vec<String> =
        client(&server.uri(), Auth::none()).paginate::<CentralPage>(list(), style).try_collect().await.unwrap();
    assert_eq!(items, ["t1"]);
}

#[tokio::test]
async fn cursors_are_followed_while_has_more_and_the_last_one_is_the_resume_point() {
    let server = MockServer::start().await;
    page(
        &server,
        query_param("from_date", "1700000000"),
        json!({"has_more": true, "items": ["e1", "e2"], "next_cursor": "VjJfQ1VSU09SfDE="}),
    )
    .await;
    // Once a cursor is sent, `from_date` is left out (the server ignores it).
    let second = query_param("cursor", "VjJfQ1VSU09SfDE=");
    Mock::given(path("/list"))
        .and(second)
        .and(query_param_is_missing("from_date"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"has_more": false, "items": ["e3"], "next_cursor": "VjJfQ1VSU09SfDI="})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = Request::new(Method::GET, "siemEvents", "/list").query("from_date", &1_700_000_000_i64);
    let pager =
        client(&server.uri(), Auth::none()).paginate::<SiemPage>(request, PageStyle::cursor("cursor", &["from_date"]));
    let checkpoint = pager.checkpoint();
    let items: Vec<String> = pager.try_collect().await.unwrap();
    assert_eq!(items, ["e1", "e2", "e3"]);
    assert_eq!(checkpoint.get(), Some(PagePosition::Cursor("VjJfQ1VSU09SfDI=".into())), "hand this to the next poll");
}

/// An envelope `{metadata: {links, results}, data}`, paged through the runtime's
/// `Envelope` trait alone.
#[derive(serde::Deserialize)]
struct Wrapped<T> {
    metadata: WrappedMetadata,
    data: T,
}

#[derive(serde::Deserialize)]
struct WrappedMetadata {
    links: std::collections::BTreeMap<String, String>,
    results: WrappedResults,
}

#[derive(serde::Deserialize)]
struct WrappedResults {
    total: u64,
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Envelope for Wrapped<T> {
    type Data = T;

    fn data(&self) -> &T {
        &self.data
    }

    fn into_data(self) -> T {
        self.data
    }

    fn page_info(&self) -> PageInfo {
        PageInfo {
            next_link: self.metadata.links.get("next").cloned(),
            total_items: Some(self.metadata.results.total),
            ..PageInfo::default()
        }
    }
}

fn linked_page(server: &str, items: &[u64], next_offset: Option<u64>, total: u64) -> Value {
    let mut links = json!({"self": format!("{server}/v1/events")});
    if let Some(offset) = next_offset {
        links["next"] = json!(format!("{server}/v1/events?limit=2&offset={offset}&event_type%5B%5D=1090519054"));
    }
    json!({"version": "v1.2.0", "metadata": {"links": links, "results": {"total": total, "current_item_count": items.len(), "items_per_page": 2}}, "data": items})
}

#[tokio::test]
async fn next_links_are_followed_on_the_same_origin() {
    let server = MockServer::start().await;
    let base = server.uri();
    let events = |matcher: wiremock::matchers::QueryParamExactMatcher, body: Value| {
        Mock::given(path("/v1/events"))
            .and(matcher)
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
    };
    events(query_param("offset", "0"), linked_page(&base, &[1, 2], Some(2), 5)).mount(&server).await;
    events(query_param("offset", "2"), linked_page(&base, &[3, 4], Some(4), 5)).mount(&server).await;
    events(query_param("offset", "4"), linked_page(&base, &[5], None, 5)).mount(&server).await;
    let client = client(&format!("{base}/v1"), Auth::basic("client-id", "api-key"));
    let request = Request::new(Method::GET, "listEvents", "/events").query_array(
        "event_type[]",
        Some(&[1090519054_i64][..]),
        secgen_runtime::ArrayStyle::Repeat,
    );
    let ids: Vec<u64> = client
        .paginate::<Wrapped<Vec<u64>>>(request, PageStyle::limit_offset("limit", "offset", 2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|request| request.headers.get("authorization").is_some()));
    assert!(requests[2].url.query().unwrap().contains("event_type%5B%5D=1090519054"), "the link keeps the filters");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused_and_gets_no_credentials() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&elsewhere)
        .await;
    Mock::given(path("/v1/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(linked_page(&elsewhere.uri(), &[1, 2], Some(2), 10)))
        .mount(&server)
        .await;
    let client = client(&format!("{}/v1", server.uri()), Auth::basic("client-id", "api-key"));
    let request = Request::new(Method::GET, "listEvents", "/events");
    let results: Vec<_> =
        client.paginate::<Wrapped<Vec<u64>>>(request, PageStyle::limit_offset("limit", "offset", 2)).collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    let error = results[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Pagination { .. }), "{error:?}");
    assert!(error.to_string().contains("another origin"), "{error}");
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "nothing, and so no credentials, went to the other host"
    );
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_ends_the_stream_with_an_error_instead_of_looping() {
    let server = MockServer::start().await;
    // Every request gets the same full first page, whatever its offset.
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [1, 2]})))
        .mount(&server)
        .await;
    let client = client(&server.uri(), Auth::none());
    let request = Request::new(Method::GET, "listThings", "/things");
    // Bounded, so that a pager that loops fails here instead of hanging.
    let results: Vec<_> =
        client.paginate::<NumberPage>(request, PageStyle::limit_offset("limit", "offset", 2)).take(20).collect().await;
    assert_eq!(results.len(), 3, "the first page's two items, then the error: {results:?}");
    let error = results[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Pagination { .. }), "{error:?}");
    assert!(error.to_string().contains("same as the page before"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
