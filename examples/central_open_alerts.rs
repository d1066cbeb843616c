//! Every open alert of every tenant your Sophos Central API credentials reach,
//! whether they belong to a tenant, a partner or an organization.
//!
//! `SOPHOS_CLIENT_ID=... SOPHOS_CLIENT_SECRET=... cargo run -p secgen-examples --example central_open_alerts`

use futures::TryStreamExt;
use sophos_central::{Client, Session, credentials, types::ListAlertsParams};

#[tokio::main]
async fn main() -> sophos_central::Result<()> {
    let id = std::env::var("SOPHOS_CLIENT_ID").unwrap_or_default();
    let secret = std::env::var("SOPHOS_CLIENT_SECRET").unwrap_or_default();
    let session = Session::connect(Client::builder(), credentials(id, secret)).await?;
    for tenant in session.tenants().await? {
        let client: Client = session.tenant_client(&tenant)?;
        let mut alerts = client.list_alerts_stream(&ListAlertsParams::default());
        while let Some(alert) = alerts.try_next().await? {
            println!("{} {:?} {}", tenant.id, alert.severity, alert.description.unwrap_or_default());
        }
    }
    Ok(())
}
