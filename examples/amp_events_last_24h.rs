//! Every Cisco AMP event of the last 24 hours, page after page.
//!
//! `AMP_CLIENT_ID=... AMP_API_KEY=... cargo run -p secgen-examples --example amp_events_last_24h`
//! (set `AMP_REGION=eu` or `apjc` for the European or Asia Pacific cloud).

use cisco_amp::runtime::{Auth, DateTime, chrono};
use cisco_amp::{Client, Region, types::ListEventsParams};
use futures::TryStreamExt;

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

    let since = DateTime::from(chrono::Utc::now() - chrono::Duration::hours(24));
    let mut events = client.list_events_stream(&ListEventsParams { start_date: Some(since), ..Default::default() });
    while let Some(event) = events.try_next().await? {
        let host = event.computer.as_ref().and_then(|computer| computer.hostname.as_deref()).unwrap_or("?");
        println!(
            "{} {host} {}",
            event.date.map(|date| date.to_string()).unwrap_or_default(),
            event.event_type.unwrap_or_default()
        );
    }
    Ok(())
}
