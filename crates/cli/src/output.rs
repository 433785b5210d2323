//! What a command prints: the response as one JSON document (or a table with `--output
//! table`), each item of `--all` as one JSON line, what a mutating call without a response
//! body did, and errors on stderr naming the status and the API's message.
//!
//! [`Shell`] is the generated commands' `CliConfig`: the generated code hands it every
//! response and error.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::io::Write as _;
use std::num::NonZeroU64;

use clap::ArgMatches;
use clap::parser::ValueSource;
use client_runtime::RawResponse;
use progenitor_client::Error;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::commands::{OUTPUT, SHELL_ARGS};
use crate::generated::{cipherscale_policy, saas_rules};
use crate::table;

/// How responses are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON document per command; JSON Lines for `--all`.
    Json,
    /// A text table: one row per item of a list, else one row per field.
    Table,
}

impl Format {
    /// The format `--output` names (`json` when absent).
    pub fn from_matches(matches: &ArgMatches) -> Format {
        match matches.get_one::<String>(OUTPUT).map(String::as_str) {
            Some("table") => Format::Table,
            _ => Format::Json,
        }
    }
}

/// The output side of one command run.
pub struct Shell {
    format: Format,
    operation: &'static str,
    arguments: Map<String, Value>,
    pages: RefCell<Option<Pages>>,
    failed: Cell<bool>,
}

/// The state of `--all`: the page being fetched and what it held.
struct Pages {
    page: NonZeroU64,
    items: usize,
    total_pages: Option<i64>,
    /// Items kept for one table at the end (`--output table`).
    rows: Vec<Value>,
}

impl Shell {
    /// A shell for `operation`, called with the arguments in `matches`.
    pub fn new(format: Format, operation: &'static str, matches: &ArgMatches) -> Shell {
        Shell {
            format,
            operation,
            arguments: given_arguments(matches),
            pages: RefCell::new(None),
            failed: Cell::new(false),
        }
    }

    /// Whether the API call failed (and the error was printed).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// Starts or continues `--all`: the next response is page `page`, its `data` items
    /// printed one a line.
    pub fn begin_page(&self, page: NonZeroU64) {
        let mut pages = self.pages.borrow_mut();
        let pages = pages.get_or_insert_with(|| Pages {
            page,
            items: 0,
            total_pages: None,
            rows: Vec::new(),
        });
        pages.page = page;
        pages.items = 0;
        pages.total_pages = None;
    }

    /// The page `--all` is fetching, if it is running.
    pub fn page(&self) -> Option<NonZeroU64> {
        self.pages.borrow().as_ref().map(|pages| pages.page)
    }

    /// How many items the last page held and how many pages the server says there are.
    pub fn page_outcome(&self) -> (usize, Option<i64>) {
        self.pages
            .borrow()
            .as_ref()
            .map_or((0, None), |pages| (pages.items, pages.total_pages))
    }

    /// Ends `--all`: prints the table of every item with `--output table`.
    pub fn end_pages(&self) {
        if let Some(pages) = self.pages.borrow_mut().take()
            && self.format == Format::Table
        {
            emit(&table::render(&Value::Array(pages.rows)));
        }
    }

    /// A successful response with a body.
    pub fn item(&self, value: &impl Serialize) {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(error) => {
                self.fail(&format!("cannot print the response as JSON: {error}"));
                return;
            }
        };
        let mut pages = self.pages.borrow_mut();
        let Some(pages) = pages.as_mut() else {
            self.print(&value);
            return;
        };
        let items = match value.get("data") {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        pages.items = items.len();
        pages.total_pages = value.get("totalPage").and_then(Value::as_i64);
        for item in items {
            match self.format {
                Format::Json => emit(&item.to_string()),
                Format::Table => pages.rows.push(item.clone()),
            }
        }
    }

    /// One item of a list the generated code streams.
    pub fn list_item(&self, value: &impl Serialize) {
        match serde_json::to_string(value) {
            Ok(line) => emit(&line),
            Err(error) => self.fail(&format!("cannot print the response as JSON: {error}")),
        }
    }

    /// A successful response without a body: says which operation did it, with what.
    pub fn no_item(&self, status: u16) {
        self.print(&json!({
            "operation": self.operation,
            "status": status,
            "arguments": self.arguments,
        }));
    }

    /// A failed call: the status and the API's message on stderr.
    pub fn error<E: Serialize + Debug>(&self, error: &Error<E>) {
        self.fail(&describe(error));
    }

    fn fail(&self, message: &str) {
        self.failed.set(true);
        eprintln!("error: {message}");
    }

    fn print(&self, value: &Value) {
        match self.format {
            Format::Json => emit(&serde_json::to_string_pretty(value).unwrap_or_default()),
            Format::Table => emit(&table::render(value)),
        }
    }
}

/// Writes one line to stdout; a closed pipe (`| head`) is not an error worth reporting.
fn emit(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// The operation's own arguments as given on the command line (not the shell's).
fn given_arguments(matches: &ArgMatches) -> Map<String, Value> {
    matches
        .ids()
        .map(|id| id.as_str())
        .filter(|id| !SHELL_ARGS.contains(id))
        .filter(|id| matches.value_source(id) == Some(ValueSource::CommandLine))
        .filter_map(|id| {
            let values: Vec<Value> = matches
                .try_get_raw(id)
                .ok()
                .flatten()?
                .map(|value| Value::String(value.to_string_lossy().into_owned()))
                .collect();
            let value = match <[Value; 1]>::try_from(values) {
                Ok([one]) => one,
                Err(many) => Value::Array(many),
            };
            Some((id.to_string(), value))
        })
        .collect()
}

/// One line for a failed call: the status and the API's message where there is one, else
/// the start of the body, from the response the runtime delivered ([`RawResponse::of_error`]).
fn describe<E: Serialize + Debug>(error: &Error<E>) -> String {
    let raw = RawResponse::of_error(error);
    let said = |typed: Option<Value>| {
        let raw_message = || {
            let raw = raw.as_ref()?;
            let body = serde_json::from_slice::<Value>(&raw.body).ok();
            Some(
                body.and_then(|body| api_message(&body))
                    .unwrap_or_else(|| raw.body_preview()),
            )
        };
        typed
            .and_then(|body| api_message(&body))
            .or_else(raw_message)
            .filter(|message| !message.is_empty())
            .map_or_else(String::new, |message| format!(": {message}"))
    };
    match error {
        Error::ErrorResponse(response) => {
            let typed = serde_json::to_value(&**response).ok();
            format!("{}{}", response.status(), said(typed))
        }
        Error::UnexpectedResponse(response) => format!(
            "{} (a status the API does not document){}",
            response.status(),
            said(None)
        ),
        Error::InvalidResponsePayload(_, cause) => {
            let status = raw.as_ref().map(|raw| format!("{} ", raw.status));
            format!(
                "{}the response body does not match the spec ({cause}){}",
                status.unwrap_or_default(),
                said(None)
            )
        }
        other => other.to_string(),
    }
}

/// The message of an API error body, in the fields the three APIs use.
fn api_message(body: &Value) -> Option<String> {
    [
        "message",
        "detail",
        "title",
        "errorMessage",
        "error",
        "description",
    ]
    .iter()
    .find_map(|key| match body.get(key)? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Array(parts) if !parts.is_empty() => Some(
            parts
                .iter()
                .map(|part| {
                    part.as_str()
                        .map_or_else(|| part.to_string(), str::to_string)
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    })
}

/// Implements a generated `CliConfig` trait for `&Shell`, with any operation hooks given.
macro_rules! impl_cli_config {
    ($config:path $(, $hook:item)* $(,)?) => {
        impl $config for &$crate::output::Shell {
            fn success_item<T: serde::Serialize>(&self, value: &progenitor_client::ResponseValue<T>) {
                self.item(&**value)
            }
            fn success_no_item(&self, value: &progenitor_client::ResponseValue<()>) {
                self.no_item(value.status().as_u16())
            }
            fn error<T: serde::Serialize + std::fmt::Debug>(&self, value: &progenitor_client::Error<T>) {
                $crate::output::Shell::error(self, value)
            }
            fn list_start<T: serde::Serialize>(&self) {}
            fn list_item<T: serde::Serialize>(&self, value: &T) {
                $crate::output::Shell::list_item(self, value)
            }
            fn list_end_success<T: serde::Serialize>(&self) {}
            fn list_end_error<T: serde::Serialize + std::fmt::Debug>(&self, value: &progenitor_client::Error<T>) {
                $crate::output::Shell::error(self, value)
            }
            $($hook)*
        }
    };
}
pub(crate) use impl_cli_config;

impl_cli_config!(saas_rules::CliConfig);
impl_cli_config!(cipherscale_policy::CliConfig);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_message_is_found_in_each_apis_error_shape() {
        let nest = json!({"statusCode": 400, "message": ["name should not be empty", "x"], "error": "Bad Request"});
        assert_eq!(
            api_message(&nest).as_deref(),
            Some("name should not be empty; x")
        );
        let problem = json!({"type": "t", "title": "Not Found", "detail": "no policy 7"});
        assert_eq!(api_message(&problem).as_deref(), Some("no policy 7"));
        let legacy = json!({"errorMessage": "bad contract"});
        assert_eq!(api_message(&legacy).as_deref(), Some("bad contract"));
        assert_eq!(api_message(&json!({"code": 3})), None);
    }
}
