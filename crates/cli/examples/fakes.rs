//! Starts the three fake servers on 127.0.0.1 and prints the settings that point `secapi` at
//! them, to try the command line without accounts:
//!
//! ```sh
//! cargo run -p cli --example fakes      # keeps running; paste its `export` lines elsewhere
//! cargo run -p cli -- harmony list-users --all
//! ```
//!
//! The keys and tokens it prints are the fakes' own, valid nowhere else.

use std::io::Write as _;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let harmony = harmony_sase_fake::FakeServer::builder()
        .users(25)
        .start()
        .await;
    let saas = saas_rules_fake::FakeServer::start().await;
    saas.seed_policy("Example", Some("1-1TJZH5"), Some("15225"));
    let cipherscale = cipherscale_policy_fake::FakeServer::start().await;

    let dir = tempfile::tempdir()?;
    let edgerc = dir.path().join(".edgerc");
    std::fs::write(&edgerc, saas.edgerc())?;

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# Fakes running until this process stops (Ctrl-C). In another shell:"
    )?;
    writeln!(out, "export HARMONY_SASE_API_KEY={}", harmony.api_key())?;
    writeln!(out, "export HARMONY_SASE_URL={}", harmony.origin())?;
    writeln!(out, "export AKAMAI_EDGERC={}", edgerc.display())?;
    writeln!(out, "export CIPHERSCALE_API_KEY={}", cipherscale.api_key())?;
    writeln!(out, "export CIPHERSCALE_URL={}", cipherscale.base_url())?;
    writeln!(out, "# then, for example:")?;
    writeln!(out, "#   secapi harmony list-users --all")?;
    writeln!(
        out,
        "#   secapi saas-rules list-policy-maps --contract 1-1TJZH5 --group 15225"
    )?;
    writeln!(out, "#   secapi cipherscale list-policies")?;
    drop(out);

    std::future::pending::<()>().await;
    Ok(())
}
