//! Follows one Cisco AMP detection: the newest "Threat Detected" event of the
//! last 24 hours, the computer's trajectory in the hour around it, and the
//! computer's isolation.
//!
//! `AMP_CLIENT_ID=... AMP_API_KEY=... cargo run -p secgen-examples --example amp_follow_detection`
//! (`AMP_REGION=eu` or `apjc` for the European or Asia Pacific cloud). It only
//! reports whether the computer can be isolated unless `AMP_ISOLATE=yes` is set.

use cisco_amp::runtime::{Auth, DateTime, chrono};
use cisco_amp::types::{GetComputerTrajectoryParams, ListEventsParams, StartIsolationBody};
use cisco_amp::{Client, Region};
use futures::TryStreamExt;

/// AMP's event type id of "Threat Detected".
const THREAT_DETECTED: i64 = 1090519054;

#[tokio::main]
async fn main() -> cisco_amp::Result<()> {
    let region = match std::env::var("AMP_REGION").as_deref() {
        Ok("eu") => Region::Europe,
        Ok("apjc") => Region::AsiaPacific,
        _ => Region::NorthAmerica,
    };
    let client_id = std::env::var("AMP_CLIENT_ID").unwrap_or_default();
    let api_key = std::env::var("AMP_API_KEY").unwrap_or_default();
    let client = Client::builder().base_url(region).auth(Auth::basic(client_id, api_key)).build()?;

    // 1. The detection: events come newest first.
    let since = DateTime::from(chrono::Utc::now() - chrono::Duration::hours(24));
    let params =
        ListEventsParams { start_date: Some(since), event_type: Some(vec![THREAT_DETECTED]), ..Default::default() };
    let mut events = client.list_events_stream(&params);
    let Some(event) = events.try_next().await? else {
        println!("no detection in the last 24 hours");
        return Ok(());
    };
    let (Some(computer), Some(when)) = (event.connector_guid.clone(), event.date) else {
        println!("the newest detection names no computer or time: {event:?}");
        return Ok(());
    };
    let file = event.file.as_ref().and_then(|file| file.file_name.as_deref()).unwrap_or("?");
    println!("{when} {} on {computer}: {file}", event.detection.as_deref().unwrap_or("detection"));

    // 2. What the computer did in the hour around it.
    let at = chrono::DateTime::<chrono::Utc>::from(when);
    let window = GetComputerTrajectoryParams {
        start_time: Some(DateTime::from(at - chrono::Duration::minutes(30))),
        end_time: Some(DateTime::from(at + chrono::Duration::minutes(30))),
        ..Default::default()
    };
    let trajectory = client.get_computer_trajectory(&computer, &window).await?.into_inner().data;
    for step in trajectory.events.unwrap_or_default() {
        let file = step.file.as_ref().and_then(|file| file.file_name.as_deref()).unwrap_or("");
        println!(
            "  {} {} {file}",
            step.date.map(|date| date.to_string()).unwrap_or_default(),
            step.event_type.unwrap_or_default()
        );
    }

    // 3. Isolation: the computer's policy decides whether it is allowed (the OPTIONS probe).
    let probe = client.get_isolation_availability(&computer).await;
    let allowed = probe.as_ref().ok().and_then(|response| response.headers().get("allow")?.to_str().ok());
    match allowed {
        Some(methods) if methods.contains("PUT") && std::env::var("AMP_ISOLATE").as_deref() == Ok("yes") => {
            let body = StartIsolationBody {
                comment: Some(format!("isolated after the detection at {when}")),
                ..Default::default()
            };
            let isolation = client.start_isolation(&computer, &body).await?.into_inner().data;
            println!("isolation: {:?}", isolation.status);
        }
        Some(methods) if methods.contains("PUT") => {
            println!("{computer} can be isolated (set AMP_ISOLATE=yes to do it)")
        }
        _ => println!("{computer} cannot be isolated: its policy does not allow it"),
    }
    Ok(())
}
