//! The `secapi` subcommands of each API: progenitor's clap CLI (`Generator::cli`), written by
//! `cargo xtask codegen` to the API's `cli_output` (`crates/cli/src/generated/<api>.rs`), from
//! the same spec and settings as the client, and checked by `--check` the same way.
//!
//! The generated code imports the client crate's `generated` module (`Client`, `Error`,
//! `ResponseValue`, `types`, `builder`); the hand-written shell in `crates/cli` adds
//! credentials, output and paging.

use std::fmt::Write as _;

use anyhow::Result;
use openapiv3::OpenAPI;
use progenitor_impl::Generator;
use quote::ToTokens;
use syn::visit::Visit;

use crate::apis::Api;
use crate::codegen;

/// Generates the formatted CLI source for one API, or `None` when it has no `cli_output`.
pub fn generate(api: &Api, spec: &OpenAPI) -> Result<Option<String>> {
    if api.cli_output.is_empty() {
        return Ok(None);
    }
    let module = api.generated_module();
    let tokens = codegen::guarded(|| Generator::new(&codegen::settings(api)).cli(spec, &module))
        .map_err(|reason| {
            anyhow::anyhow!(
                "{}: progenitor cannot generate the CLI: {reason}",
                api.spec()
            )
        })?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        anyhow::anyhow!(
            "{}: progenitor produced unparsable CLI code: {e}",
            api.spec()
        )
    })?;
    codegen::finish(api, prettyplease::unparse(&file)).map(Some)
}

/// A readable summary of the generated CLI, for the snapshot: one line per operation with its
/// command name and arguments (`--name <Type>`, marked `required` or `required without
/// --json-body`). It is read off the generated code, so it shows what users get.
pub fn surface(api_name: &str, code: &str) -> Result<String> {
    let file = syn::parse_file(code)?;
    let hex = &crate::sha256_hex(code.as_bytes())[..16];
    let mut out = format!("{api_name} CLI surface (sha256 {hex})\n\n");
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let Some(operation) = f
                .sig
                .ident
                .to_string()
                .strip_prefix("cli_")
                .map(str::to_string)
            else {
                continue;
            };
            let mut args = ArgCollector::default();
            args.visit_block(&f.block);
            // The visitor meets the last `.arg(…)` of the chain first.
            args.found.reverse();
            let line = format!("  {} {}", operation.replace('_', "-"), args.found.join(" "));
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(out)
}

/// Collects the `.arg(…)` calls of one generated command, in order.
#[derive(Default)]
struct ArgCollector {
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for ArgCollector {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "arg"
            && let Some(arg) = call.args.first().and_then(describe_arg)
        {
            self.found.push(arg);
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// `--name <Type>` plus how it is required, from a `clap::Arg::new("name")…` chain.
fn describe_arg(expr: &syn::Expr) -> Option<String> {
    let (mut value, mut required) = (String::new(), "");
    let mut current = expr;
    loop {
        match current {
            syn::Expr::MethodCall(call) => {
                let args = call.args.to_token_stream().to_string().replace(' ', "");
                match call.method.to_string().as_str() {
                    "value_parser" => value = format!(" <{}>", value_type(&args)),
                    "required" if args == "true" => required = " (required)",
                    "required_unless_present" => required = " (required without --json-body)",
                    _ => {}
                }
                current = &call.receiver;
            }
            syn::Expr::Call(call) => {
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) = call.args.first()?
                else {
                    return None;
                };
                return Some(format!("--{}{value}{required}", name.value()));
            }
            _ => return None,
        }
    }
}

/// The type of `::clap::value_parser!(T)`, or the enum of a `PossibleValuesParser` mapping.
fn value_type(args: &str) -> String {
    let text = if let Some(inner) = args
        .strip_prefix("::clap::value_parser!(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        inner.to_string()
    } else if let Some((_, after)) = args.split_once("|s|") {
        after
            .split("::try_from")
            .next()
            .unwrap_or(after)
            .to_string()
    } else {
        args.to_string()
    };
    text.replace("::std::string::", "")
        .replace("::std::num::", "")
        .replace("::std::path::", "")
        .replace("std::path::", "")
        .replace("::uuid::", "")
        .replace("::chrono::", "")
        .replace("types::", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{apis, workspace_root};

    /// The commands and arguments of each API's generated CLI, reviewed with
    /// `cargo insta review`. Read off the checked-in file, which `generated_code_is_fresh`
    /// holds to what the spec generates.
    #[test]
    fn cli_surface() {
        let root = workspace_root();
        for api in apis::APIS.iter().filter(|api| !api.cli_output.is_empty()) {
            let code = std::fs::read_to_string(root.join(api.cli_output)).expect(api.cli_output);
            let surface = surface(api.name, &code).expect("generated CLI parses");
            insta::assert_snapshot!(format!("cli-{}", api.name), surface);
        }
    }
}
