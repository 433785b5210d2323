//! Lists users, groups, networks and each network's health.
//!
//! With `HARMONY_SASE_API_KEY` set (and optionally `HARMONY_SASE_URL`: `eu`, `au`, … or an
//! origin) it reads the real tenant; pass `--write` to also create and remove a demo group
//! there. Without a key it starts an in-process fake server and runs the whole workflow on it.
//!
//! ```text
//! cargo run -p harmony-sase --example quickstart
//! HARMONY_SASE_API_KEY=… HARMONY_SASE_URL=eu cargo run -p harmony-sase --example quickstart
//! ```

use futures::TryStreamExt;
use harmony_sase::{API_KEY_ENV, Client, ClientConfig, types};
use harmony_sase_fake::FakeServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let write_flag = std::env::args().any(|arg| arg == "--write");
    let (client, fake) = if std::env::var_os(API_KEY_ENV).is_some() {
        let client = Client::from_env()?;
        println!("using the Harmony SASE API at {}", client.base_url());
        (client, None)
    } else {
        let fake = FakeServer::builder().users(12).start().await;
        println!(
            "{API_KEY_ENV} is not set: using an in-process fake server at {}",
            fake.origin()
        );
        // The fake has no request budget, so the client's 10-per-minute limiter is off here.
        let config = ClientConfig {
            rate_limit: None,
            ..Client::default_config()
        };
        let client = Client::builder(fake.api_key())
            .base_url(fake.origin())
            .config(config)
            .build()?;
        (client, Some(fake))
    };

    let users: Vec<types::User> = client.users(|q| q).try_collect().await?;
    println!("{} users", users.len());
    for user in users.iter().take(5) {
        println!(
            "  {} {}",
            user.id,
            user.email.as_deref().unwrap_or("(no email)")
        );
    }

    let groups: Vec<types::Group> = client.groups(|q| q).try_collect().await?;
    println!("{} groups", groups.len());
    for group in &groups {
        println!(
            "  {} {} ({} members)",
            group.id,
            group.name.as_deref().unwrap_or("?"),
            group.users.len()
        );
    }

    let networks = client.list_networks().send().await?.into_inner().data;
    println!("{} networks", networks.len());
    for network in &networks {
        let Some(id) = &network.id else { continue };
        let health = client
            .get_network_health()
            .network_id(id)
            .send()
            .await?
            .into_inner();
        let statuses: Vec<String> = health
            .data
            .iter()
            .map(|check| check.status.as_ref().map_or("-".into(), status_text))
            .collect();
        println!(
            "  {} {}: health {}",
            id,
            network.name.as_deref().unwrap_or("?"),
            statuses.join(", ")
        );
    }

    if fake.is_some() || write_flag {
        demo_membership(&client, users.first()).await?;
    } else {
        println!("read-only run; pass --write to create and delete a demo group");
    }
    Ok(())
}

/// Creates a group, adds and removes a member, deletes the group.
async fn demo_membership(
    client: &Client,
    user: Option<&types::User>,
) -> Result<(), harmony_sase::Error> {
    let name: types::CreateGroupDtoName = "quickstart-demo"
        .parse()
        .map_err(|e| harmony_sase::Error::InvalidRequest(format!("{e}")))?;
    let group = client
        .create_group()
        .body(types::CreateGroupDto::builder().name(name))
        .send()
        .await?
        .into_inner();
    println!("created group {}", group.id);
    if let Some(user) = user {
        client
            .add_group_member()
            .group_id(&group.id)
            .user_id(&user.id)
            .send()
            .await?;
        println!("  added {}", user.id);
        client
            .remove_group_member()
            .group_id(&group.id)
            .user_id(&user.id)
            .send()
            .await?;
        println!("  removed {}", user.id);
    }
    client.delete_group().group_id(&group.id).send().await?;
    println!("deleted group {}", group.id);
    Ok(())
}

/// A health status as the server wrote it, whether this client knows the value or not.
fn status_text(status: &types::HealthStatus) -> String {
    match status {
        types::HealthStatus::HealthStatusKnown(known) => known.to_string(),
        types::HealthStatus::Boolean(flag) => flag.to_string(),
        types::HealthStatus::String(other) => other.clone(),
    }
}
