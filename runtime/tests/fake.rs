//! The fake server on its own, with an API described by hand: what a generated
//! crate's fake rests on, including the failures a user's test must see.

use secgen_runtime::fake::{FakeApi, FakeAuth, FakeBody, FakeOperation, FakeServer, GenericVendor, round_trip};
use secgen_runtime::{ApiClient, ApiInfo, ClientBuilder, Method, Request, StatusCode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Pet {
    name: String,
}

static PETS: ApiInfo = ApiInfo::new("pets", "1.0.0");

static API: FakeApi = FakeApi {
    base_path: "/v1",
    auth: FakeAuth::Basic,
    operations: &[
        FakeOperation {
            id: "getPet",
            stub: "get_pet",
            method: "GET",
            path: "/pets/{id}",
            status: 200,
            // The spec's example first, then the schema's; the first the type accepts is served.
            body: FakeBody::Json {
                defaults: &[r#"{"name":3}"#, r#"{"name":"Rex"}"#],
                envelope: None,
                check: round_trip::<Pet>,
            },
            paging: None,
        },
        FakeOperation {
            id: "deletePet",
            stub: "delete_pet",
            method: "DELETE",
            path: "/pets/{id}",
            // A 200 without a documented body (a 204 never carries one anyway).
            status: 200,
            body: FakeBody::Empty,
            paging: None,
        },
        FakeOperation {
            id: "searchPets",
            stub: "search_pets",
            method: "GET",
            path: "/pets/search",
            status: 200,
            // A default the type refuses: `name` is required.
            body: FakeBody::Json { defaults: &["{}"], envelope: None, check: round_trip::<Pet> },
            paging: None,
        },
    ],
};

fn client(fake: &FakeServer) -> ApiClient {
    fake.configure(ClientBuilder::<ApiClient>::new(&PETS)).build().unwrap()
}

#[tokio::test]
async fn a_default_body_the_types_refuse_is_reported() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    assert_eq!(fake.default_body_problems(), ["searchPets: missing field `name`"]);
}

#[tokio::test]
#[should_panic(expected = "the stub of `getPet` does not decode with the crate's types: `name`: invalid type")]
async fn a_stub_the_types_refuse_panics_where_it_is_written() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    fake.stub::<serde_json::Value, serde_json::Value>("getPet").returns(serde_json::json!({"name": 7}));
}

#[tokio::test]
async fn literal_segments_route_before_parameters() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    fake.stub::<serde_json::Value, serde_json::Value>("searchPets").returns(serde_json::json!({"name": "found"}));
    fake.stub::<Pet, serde_json::Value>("getPet").succeeds();
    let client = client(&fake);

    let search = client.send(Request::new(Method::GET, "searchPets", "/pets/search")).await.unwrap();
    let pet = client.send(Request::new(Method::GET, "getPet", "/pets/{id}").path_param("id", "a b")).await.unwrap();

    assert_eq!(search.json::<Pet>().unwrap().name, "found");
    assert_eq!(pet.json::<Pet>().unwrap().name, "Rex");
    assert_eq!(fake.operations_called(), ["searchPets", "getPet"]);
    assert_eq!(fake.calls()[1].path_params["id"], "a b");
}

#[tokio::test]
async fn an_operation_without_a_body_answers_its_status_and_no_body() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    fake.stub::<(), serde_json::Value>("deletePet").returns(());

    let response = client(&fake)
        .send(Request::new(Method::DELETE, "deletePet", "/pets/{id}").path_param("id", "1"))
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().unwrap().is_empty());
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    fake.stub::<Pet, serde_json::Value>("getPet").succeeds();
    let client = ClientBuilder::<ApiClient>::new(&PETS)
        .base_url(fake.url())
        .allow_http()
        .auth(secgen_runtime::Auth::basic("someone", "else"))
        .build()
        .unwrap();

    let error = client.send(Request::new(Method::GET, "getPet", "/pets/{id}").path_param("id", "1")).await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(error.to_string().contains("missing or wrong credentials"), "{error}");
}

#[tokio::test]
#[should_panic(expected = "/v1/owners: no operation of the API has this method and path")]
async fn a_path_the_api_does_not_have_fails_the_test_on_drop() {
    let fake = FakeServer::start::<GenericVendor>(&API).await;
    let request = Request::new(Method::GET, "other", "/owners").query("token", "s3cret");
    let error = client(&fake).send(request).await.unwrap_err();
    assert!(!error.to_string().contains("s3cret"), "the query is left out of messages: {error}");
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.to_string().contains("no operation of the API has this method and path"), "{error}");
}
