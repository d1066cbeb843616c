//! "List every pipeline of a project": Sophos Factory's offset pages.

use futures::TryStreamExt;
use secgen_runtime::StatusCode;
use sophos_factory::fake::Fake;
use sophos_factory::types::{ListPipelinesParams, Pipeline};
use sophos_factory::{Client, Result};

/// The code under test: the names of a project's pipelines.
async fn pipeline_names(client: &Client, project: &str) -> Result<Vec<String>> {
    let pipelines: Vec<Pipeline> =
        client.list_pipelines_stream(project, &ListPipelinesParams::default()).try_collect().await?;
    Ok(pipelines.into_iter().filter_map(|pipeline| pipeline.name).collect())
}

fn pipelines(count: usize) -> Vec<Pipeline> {
    (0..count).map(|index| Pipeline { name: Some(format!("pipeline {index}")), ..Default::default() }).collect()
}

#[tokio::test]
async fn every_page_of_pipelines_through_a_429() {
    let fake = Fake::start().await;
    fake.list_pipelines().when_path_param("project_id", "p1").returns(pipelines(250));
    fake.list_pipelines().fails(StatusCode::TOO_MANY_REQUESTS).on_call(3).once();

    let names = pipeline_names(&fake.client(), "p1").await.unwrap();

    assert_eq!(names.len(), 250);
    assert_eq!(names[249], "pipeline 249");
    let offsets: Vec<_> =
        fake.list_pipelines().calls().iter().map(|call| call.query("offset").map(str::to_owned)).collect();
    assert_eq!(offsets, [Some("0".to_owned()), Some("100".to_owned()), Some("200".to_owned()), Some("200".to_owned())]);
}

#[tokio::test]
async fn an_expired_token_is_a_401_in_factorys_error_body() {
    let fake = Fake::start().await;
    fake.list_pipelines().returns(pipelines(1));
    fake.expire_credentials();

    let error = pipeline_names(&fake.client(), "p1").await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    let body = error.error_body::<sophos_factory::vendor::ErrorBody>().expect("Factory's error body");
    assert_eq!(body.errors[0].message.as_deref(), Some("the credentials have expired"));
}
