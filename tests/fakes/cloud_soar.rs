//! "Attach a report to every incident": Cloud SOAR's incidents and multipart uploads.

use cloud_soar::fake::Fake;
use cloud_soar::types::{AddIncidentAttachmentBody, Incident, IncidentId, IncidentList};
use cloud_soar::{Client, FilePart, Result};
use secgen_runtime::{GenericErrorBody, StatusCode};

/// The code under test: uploads `report` to every incident, returning how many it reached.
async fn attach_report(client: &Client, report: &'static [u8]) -> Result<usize> {
    let incidents = match client.list_incidents(&Default::default()).await?.into_inner() {
        IncidentList::Array(incidents) => incidents,
        IncidentList::Object(list) => list.data,
    };
    let mut attached = 0;
    for incident in incidents {
        let Some(IncidentId::Integer(id)) = incident.id else { continue };
        let body = AddIncidentAttachmentBody {
            attachment: Some(FilePart::bytes(report).file_name("report.txt").content_type("text/plain")),
            file_name: Some("report.txt".to_owned()),
            ..Default::default()
        };
        client.add_incident_attachment(id, &body).await?;
        attached += 1;
    }
    Ok(attached)
}

fn incident(id: i64) -> Incident {
    Incident { id: Some(IncidentId::Integer(id)), ..Default::default() }
}

#[tokio::test]
async fn a_report_reaches_every_incident_through_a_429() {
    let fake = Fake::start().await;
    fake.list_incidents().returns(IncidentList::Array(vec![incident(11), incident(12)]));
    fake.add_incident_attachment().succeeds();
    fake.add_incident_attachment().fails(StatusCode::TOO_MANY_REQUESTS).on_call(1).once();

    assert_eq!(attach_report(&fake.client(), b"findings").await.unwrap(), 2);

    let uploads = fake.add_incident_attachment().calls();
    let incidents: Vec<&str> = uploads.iter().map(|call| call.path_params["incidentId"].as_str()).collect();
    assert_eq!(incidents, ["11", "11", "12"], "the 429 is retried with the whole body");
    let sent = String::from_utf8_lossy(&uploads[1].raw_body);
    assert!(sent.contains("filename=\"report.txt\"") && sent.contains("findings"), "{sent}");
}

#[tokio::test]
async fn an_expired_token_is_a_401_with_error_and_description() {
    let fake = Fake::start().await;
    fake.list_incidents().succeeds();
    assert_eq!(attach_report(&fake.client(), b"x").await.unwrap(), 0, "the default incident has no id");

    fake.expire_credentials();
    let error = attach_report(&fake.client(), b"x").await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    let body = error.error_body::<GenericErrorBody>().expect("Cloud SOAR's error body");
    assert_eq!(body.error.as_deref(), Some("Unauthorized"));
    assert_eq!(body.description.as_deref(), Some("the credentials have expired"));
}
