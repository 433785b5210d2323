//! The `secapi` command tree: one subcommand per API, nesting the generated command of every
//! operation under its kebab-case name, plus the shell's own flags.

use std::path::PathBuf;

use clap::{Arg, ArgAction, Command, value_parser};

use crate::generated;
use crate::output::Shell;
use crate::{body, paging};

/// `secapi harmony …`: the Harmony SASE API.
pub const HARMONY: &str = "harmony";
/// `secapi saas-rules …`: the Akamai SaaS IP/Geo Access API.
pub const SAAS_RULES: &str = "saas-rules";
/// `secapi cipherscale …`: the Cipherscale policy API.
pub const CIPHERSCALE: &str = "cipherscale";

/// `--output json|table`, for every command.
pub const OUTPUT: &str = "output";
/// `--all`, on Harmony's paged lists.
pub const ALL: &str = "all";
/// `--edgerc PATH`, for SaaS rules.
pub const EDGERC: &str = "edgerc";
/// `--section NAME`, for SaaS rules.
pub const SECTION: &str = "section";
/// `--account-key KEY`, for SaaS rules.
pub const ACCOUNT_KEY: &str = "account-key";
/// The generated body argument, shown as `--body`.
const JSON_BODY: &str = "json-body";
/// A generated flag that does nothing yet; hidden.
const JSON_BODY_TEMPLATE: &str = "json-body-template";

/// Arguments the shell adds or renames: not part of what an operation was called with.
pub const SHELL_ARGS: &[&str] = &[
    OUTPUT,
    ALL,
    EDGERC,
    SECTION,
    ACCOUNT_KEY,
    JSON_BODY,
    JSON_BODY_TEMPLATE,
];

/// Shorter names for generated arguments, as Akamai's own CLI spells them.
const ALIASES: &[(&str, &str)] = &[("contract-id", "contract"), ("group-id", "group")];

/// The whole command line.
pub fn root() -> Command {
    Command::new("secapi")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Harmony SASE, Akamai SaaS-rules and Cipherscale policy APIs from the shell")
        .after_help(
            "Exit status: 0 on success, 1 when the API or the connection fails, 2 for a usage \
             or configuration error.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new(OUTPUT)
                .long(OUTPUT)
                .global(true)
                .value_parser(["json", "table"])
                .default_value("json")
                .help("json: one JSON document (JSON Lines with --all); table: a text table"),
        )
        .subcommand(
            api(HARMONY, harmony_operations())
                .about("Harmony SASE (Check Point, formerly Perimeter 81)")
                .after_help(
                    "Credentials: HARMONY_SASE_API_KEY, and HARMONY_SASE_URL (a region: us, \
                     eu, au, in, ca; or an origin; default us).",
                ),
        )
        .subcommand(
            api(SAAS_RULES, saas_rules_operations())
                .about("Akamai SaaS IP/Geo Access (config-saas-rules/v2), signed with EdgeGrid")
                .after_help(
                    "Credentials: the AKAMAI_HOST, AKAMAI_CLIENT_TOKEN, AKAMAI_CLIENT_SECRET and \
                     AKAMAI_ACCESS_TOKEN variables when all four are set, else the .edgerc \
                     file (--edgerc, AKAMAI_EDGERC, ~/.edgerc) and section (--section, \
                     AKAMAI_SECTION, default).",
                )
                .args(edgerc_args()),
        )
        .subcommand(
            api(CIPHERSCALE, cipherscale_operations())
                .about("Cipherscale policy model")
                .after_help(
                    "Credentials: CIPHERSCALE_API_KEY, and CIPHERSCALE_URL (the base URL with \
                     the stage; default https://public-api.cipherscale.com/qa).",
                ),
        )
}

/// The command-line name of an operation: its operation id in kebab case.
pub fn name(operation_id: &str) -> String {
    operation_id.replace('_', "-")
}

fn api(name: &'static str, operations: impl Iterator<Item = Command>) -> Command {
    Command::new(name)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands(operations)
}

fn harmony_operations() -> impl Iterator<Item = Command> {
    use generated::harmony_sase::{Cli, CliCommand};
    CliCommand::iter()
        // The token exchange answers with a bearer token: a secret, never printed.
        .filter(|command| !matches!(command, CliCommand::Authorize))
        .map(|command| {
            let operation = operation(command.operation_id(), Cli::<&Shell>::get_command(command));
            if paging::is_paged(command) {
                operation.arg(
                    Arg::new(ALL)
                        .long(ALL)
                        .action(ArgAction::SetTrue)
                        .conflicts_with("page")
                        .help("Every page, one item a line (JSON Lines)"),
                )
            } else {
                operation
            }
        })
}

fn saas_rules_operations() -> impl Iterator<Item = Command> {
    use generated::saas_rules::{Cli, CliCommand};
    CliCommand::iter()
        .map(|command| operation(command.operation_id(), Cli::<&Shell>::get_command(command)))
}

fn cipherscale_operations() -> impl Iterator<Item = Command> {
    use generated::cipherscale_policy::{Cli, CliCommand};
    CliCommand::iter()
        .map(|command| operation(command.operation_id(), Cli::<&Shell>::get_command(command)))
}

/// A generated command, named and with the shell's spelling of its arguments.
fn operation(operation_id: &str, generated: Command) -> Command {
    let mut command = generated.name(name(operation_id));
    // Progenitor puts summary and description in `about`; lists show the summary only.
    if let Some(about) = command.get_about().map(ToString::to_string)
        && let Some((summary, _)) = about.split_once("\n\n")
    {
        command = command.about(summary.to_string()).long_about(about);
    }
    if has_arg(&command, JSON_BODY) {
        command = command
            .mut_arg(JSON_BODY, |arg| {
                arg.long("body")
                    .value_name("FILE|-")
                    .value_parser(body::parse)
                    .help(body::HELP)
            })
            .mut_arg(JSON_BODY_TEMPLATE, |arg| arg.hide(true));
    }
    for (id, alias) in ALIASES {
        if has_arg(&command, id) {
            command = command.mut_arg(*id, |arg| arg.visible_alias(*alias));
        }
    }
    command
}

fn has_arg(command: &Command, id: &str) -> bool {
    command.get_arguments().any(|arg| arg.get_id() == id)
}

/// `--edgerc PATH --section NAME --account-key KEY`, as in Akamai's own CLI.
fn edgerc_args() -> [Arg; 3] {
    [
        Arg::new(EDGERC)
            .long(EDGERC)
            .value_name("PATH")
            .global(true)
            .value_parser(value_parser!(PathBuf))
            .help("The .edgerc file (default: AKAMAI_EDGERC, then ~/.edgerc)"),
        Arg::new(SECTION)
            .long(SECTION)
            .value_name("NAME")
            .global(true)
            .help("The .edgerc section (default: AKAMAI_SECTION, then `default`)"),
        Arg::new(ACCOUNT_KEY)
            .long(ACCOUNT_KEY)
            .value_name("KEY")
            .global(true)
            .help("Account switch key: act on another account your API client can manage"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        root().debug_assert();
    }

    /// Progenitor gives `--json-body-template` the placeholder help "XXX"; the shell hides that
    /// argument, so no help text a user sees shows it.
    #[test]
    fn no_help_shows_the_generators_placeholder() {
        let mut root = root();
        root.build();
        for api in root.get_subcommands() {
            for operation in api.get_subcommands() {
                for arg in operation.get_arguments().filter(|arg| !arg.is_hide_set()) {
                    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                    assert_ne!(
                        help,
                        "XXX",
                        "{} {} --{}",
                        api.get_name(),
                        operation.get_name(),
                        arg.get_id()
                    );
                }
            }
        }
    }

    #[test]
    fn operations_are_kebab_case_and_bodies_are_read_with_body() {
        let root = root();
        let saas = root.find_subcommand(SAAS_RULES).expect("saas-rules");
        let maps = saas
            .find_subcommand("list-policy-maps")
            .expect("list-policy-maps");
        let contract = maps
            .get_arguments()
            .find(|arg| arg.get_id() == "contract-id")
            .expect("contract-id");
        assert_eq!(contract.get_visible_aliases(), Some(vec!["contract"]));
        let create = saas
            .find_subcommand("create-policy")
            .expect("create-policy");
        let body = create
            .get_arguments()
            .find(|arg| arg.get_id() == JSON_BODY)
            .expect("a body");
        assert_eq!(body.get_long(), Some("body"));
        let harmony = root.find_subcommand(HARMONY).expect("harmony");
        assert!(harmony.find_subcommand("authorize").is_none());
        assert!(harmony.find_subcommand("list-users").is_some());
    }
}
