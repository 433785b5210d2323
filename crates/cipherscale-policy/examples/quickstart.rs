//! A walk through the policy API: create a policy, read it back, rename it, list, delete it.
//!
//! ```text
//! cargo run -p cipherscale-policy --example quickstart
//!     no CIPHERSCALE_API_KEY: the whole walk against an in-process fake server
//! CIPHERSCALE_API_KEY=… cargo run -p cipherscale-policy --example quickstart
//!     the real API (CIPHERSCALE_URL, default https://public-api.cipherscale.com/qa): list only
//! CIPHERSCALE_API_KEY=… cargo run -p cipherscale-policy --example quickstart -- --write
//!     the real API, the whole walk (creates, renames and deletes one policy of its own)
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use cipherscale_policy::types::{Policy, PolicyModeKnown, PolicyTypeKnown};
use cipherscale_policy::{API_KEY_ENV, Client, Error};
use cipherscale_policy_fake::FakeServer;

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut write = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--write" => write = true,
            _ => {
                eprintln!("usage: quickstart [--write]   (--write: allow changes on the real API)");
                std::process::exit(2);
            }
        }
    }

    // Keeps the fake running, when there is one, until the end of `main`.
    let mut _fake = None;
    let client = if std::env::var(API_KEY_ENV).is_ok_and(|key| !key.trim().is_empty()) {
        let client = Client::from_env()?;
        println!("Using the API at {}", client.base_url());
        client
    } else {
        let fake = FakeServer::start().await;
        println!(
            "{API_KEY_ENV} is not set: using an in-process fake server at {}",
            fake.base_url()
        );
        let client = Client::new(fake.api_key(), fake.base_url())?;
        _fake = Some(fake);
        write = true;
        client
    };

    if !write {
        list(&client).await?;
        println!(
            "Read-only against the real API: pass --write to create, rename and delete a policy."
        );
        return Ok(());
    }

    let created = create(&client).await?;
    // Whatever happens next, remove the policy this walk created.
    let walked = walk(&client, &created).await;
    client
        .delete_policy()
        .policy_id(created.id)
        .send()
        .await
        .map_err(Error::from)?;
    println!("4. Deleted {}", created.id);
    walked?;
    match client
        .get_policy()
        .policy_id(created.id)
        .send()
        .await
        .map_err(Error::from)
    {
        Err(error) if error.status().is_some_and(|s| s.as_u16() == 404) => {
            println!("5. Reading it again answers 404: {error}");
        }
        Ok(_) => println!("5. The policy can still be read (deletion may take a moment)"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// Step 1: create a policy with a name no other run uses.
async fn create(client: &Client) -> Result<Policy, Error> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let name = format!("quickstart-{stamp}");
    let policy = client
        .create_policy()
        .body_map(|b| {
            b.name(name)
                .description(Some(
                    "Created by the cipherscale-policy quickstart".to_string(),
                ))
                .type_(PolicyTypeKnown::Private)
                .mode(Some(PolicyModeKnown::Local.into()))
                .action(true)
                .all_groups(false)
                .all_users(false)
                .all_devices(false)
                .all_resources(false)
        })
        .send()
        .await?
        .into_inner();
    println!(
        "1. Created {} \"{}\" (order {})",
        policy.id,
        policy.name,
        wire(&policy.order)
    );
    Ok(policy)
}

/// Steps 2 and 3: read the policy back, rename it, then list.
async fn walk(client: &Client, created: &Policy) -> Result<(), Error> {
    let read = client
        .get_policy()
        .policy_id(created.id)
        .send()
        .await?
        .into_inner();
    println!(
        "2. Read it back: \"{}\", type {}, mode {}",
        read.name,
        wire(&read.type_),
        wire(&read.mode)
    );

    let renamed = client
        .update_policy()
        .policy_id(created.id)
        .body_map(|b| b.name(format!("{} (renamed)", read.name)))
        .send()
        .await?
        .into_inner();
    println!(
        "3. Renamed it to \"{}\"; description kept: {}",
        renamed.name,
        wire(&renamed.description)
    );

    list(client).await
}

/// Lists every policy of the tenant.
async fn list(client: &Client) -> Result<(), Error> {
    let policies = client.list_policies().send().await?.into_inner();
    println!(
        "   The tenant has {} polic{}:",
        policies.len(),
        if policies.len() == 1 { "y" } else { "ies" }
    );
    for policy in &policies {
        println!(
            "   - {} \"{}\" (order {}, action {})",
            policy.id,
            policy.name,
            wire(&policy.order),
            wire(&policy.action)
        );
    }
    Ok(())
}

/// A value as the API writes it (`"LOCAL"`, `3`, `null`).
fn wire(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("<{e}>"))
}
