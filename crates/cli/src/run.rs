//! Runs one parsed command: the client from credentials, the generated operation, and the
//! exit status.

use std::process::ExitCode;

use clap::ArgMatches;

use crate::commands::{ALL, CIPHERSCALE, HARMONY, SAAS_RULES};
use crate::generated::{cipherscale_policy, harmony_sase, saas_rules};
use crate::output::{Format, Shell};
use crate::{credentials, paging};

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The API or the connection failed; the error is already on stderr. Exit status 1.
    Api,
    /// A usage or configuration error (credentials, an unreadable body). Exit status 2.
    Usage(anyhow::Error),
}

impl Failure {
    /// Prints what is not printed yet and gives the exit status.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Api => ExitCode::from(1),
            Failure::Usage(error) => {
                eprintln!("error: {error:#}");
                ExitCode::from(2)
            }
        }
    }
}

/// Runs the command `matches` names.
pub async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let format = Format::from_matches(matches);
    let (api, matches) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage(anyhow::anyhow!("name an API")))?;
    let (operation, matches) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage(anyhow::anyhow!("name an operation of `{api}`")))?;
    match api {
        HARMONY => harmony(operation, matches, format).await,
        SAAS_RULES => saas(operation, matches, format).await,
        CIPHERSCALE => cipherscale(operation, matches, format).await,
        other => Err(Failure::Usage(anyhow::anyhow!("unknown API `{other}`"))),
    }
}

async fn harmony(operation: &str, matches: &ArgMatches, format: Format) -> Result<(), Failure> {
    use harmony_sase::{Cli, CliCommand};
    let command = find(CliCommand::iter(), operation, CliCommand::operation_id)?;
    let client = credentials::harmony().map_err(Failure::Usage)?;
    let shell = Shell::new(format, command.operation_id(), matches);
    let cli = Cli::new((*client).clone(), &shell);
    let all = matches.try_get_one::<bool>(ALL).ok().flatten() == Some(&true);
    let outcome = if all {
        paging::all(&cli, &shell, command, matches).await
    } else {
        cli.execute(command, matches).await
    };
    finish(&shell, outcome)
}

async fn saas(operation: &str, matches: &ArgMatches, format: Format) -> Result<(), Failure> {
    use saas_rules::{Cli, CliCommand};
    let command = find(CliCommand::iter(), operation, CliCommand::operation_id)?;
    let client = credentials::saas_rules(matches).map_err(Failure::Usage)?;
    let shell = Shell::new(format, command.operation_id(), matches);
    let outcome = Cli::new((*client).clone(), &shell)
        .execute(command, matches)
        .await;
    finish(&shell, outcome)
}

async fn cipherscale(operation: &str, matches: &ArgMatches, format: Format) -> Result<(), Failure> {
    use cipherscale_policy::{Cli, CliCommand};
    let command = find(CliCommand::iter(), operation, CliCommand::operation_id)?;
    let client = credentials::cipherscale().map_err(Failure::Usage)?;
    let shell = Shell::new(format, command.operation_id(), matches);
    let outcome = Cli::new((*client).clone(), &shell)
        .execute(command, matches)
        .await;
    finish(&shell, outcome)
}

/// The generated command named `name` on the command line.
fn find<C>(
    mut commands: impl Iterator<Item = C>,
    name: &str,
    operation_id: impl Fn(&C) -> &'static str,
) -> Result<C, Failure> {
    commands
        .find(|command| crate::commands::name(operation_id(command)) == name)
        .ok_or_else(|| Failure::Usage(anyhow::anyhow!("unknown operation `{name}`")))
}

/// An error the shell printed is the API's (exit 1); any other (reading `--body`) is usage.
fn finish(shell: &Shell, outcome: anyhow::Result<()>) -> Result<(), Failure> {
    match outcome {
        Ok(()) => Ok(()),
        Err(_) if shell.failed() => Err(Failure::Api),
        Err(error) => Err(Failure::Usage(error)),
    }
}
