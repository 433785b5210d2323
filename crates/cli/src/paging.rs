//! `--all` on Harmony's paged lists (`{data, page, totalPage, itemsTotal}`, 1-based pages):
//! runs the generated command for pages 1, 2, … and stops, as `client_runtime::pages` does, at
//! the server's `totalPage` or an empty page, printing each item as it arrives.

use std::num::NonZeroU64;

use clap::ArgMatches;

use crate::generated::harmony_sase::{Cli, CliCommand, CliConfig};
use crate::output::{Shell, impl_cli_config};

/// Whether `command` is a paged list, which gets `--all`.
pub fn is_paged(command: CliCommand) -> bool {
    matches!(command, CliCommand::ListUsers | CliCommand::ListGroups)
}

/// Runs `command` for every page, its arguments (filters, `--limit`) on each.
pub async fn all(
    cli: &Cli<&Shell>,
    shell: &Shell,
    command: CliCommand,
    matches: &ArgMatches,
) -> anyhow::Result<()> {
    let mut page = NonZeroU64::MIN;
    loop {
        shell.begin_page(page);
        cli.execute(command, matches).await?;
        let (items, total_pages) = shell.page_outcome();
        let last = client_runtime::is_last_page(page, items, total_pages);
        match page.checked_add(1) {
            Some(next) if !last => page = next,
            _ => break,
        }
    }
    shell.end_pages();
    Ok(())
}

impl_cli_config!(
    CliConfig,
    fn execute_list_users(
        &self,
        _matches: &ArgMatches,
        request: &mut harmony_sase::generated::builder::ListUsers<'_>,
    ) -> anyhow::Result<()> {
        if let Some(page) = self.page() {
            *request = request.clone().page(page);
        }
        Ok(())
    },
    fn execute_list_groups(
        &self,
        _matches: &ArgMatches,
        request: &mut harmony_sase::generated::builder::ListGroups<'_>,
    ) -> anyhow::Result<()> {
        if let Some(page) = self.page() {
            *request = request.clone().page(page);
        }
        Ok(())
    },
);
