//! Section 1 of `BENCHMARKS.md`: the per-request overhead of the clients against raw reqwest
//! and against the peer (the OpenAPI Generator client of the same spec), from criterion's
//! estimates and the paired rounds `benches/client_overhead.rs` writes to
//! `client_overhead.json`; and the summary rows of the targets.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::{Estimate, Paired, paired, per_request, row};

/// The groups of the client overhead bench, in the order the report lists them.
pub(super) const GROUPS: [&str; 4] = [
    "harmony_list_users_10",
    "harmony_list_users_100",
    "cipherscale_list_policies_10",
    "cipherscale_list_policies_100",
];

/// Target: the client's throughput ÷ the peer's, on every response size.
const MIN_OVER_PEER: f64 = 1.0;
/// Target: the client's throughput ÷ raw reqwest's on the large (~70 KB) responses.
const MIN_OVER_RAW_LARGE: f64 = 0.95;
/// The worst small-response client ÷ raw reqwest ratio before issue 14 (BENCHMARKS.md of
/// 2026-11-23), which the figure should improve on, not fall below.
const SMALL_OVER_RAW_BEFORE: f64 = 0.92;

/// The response sizes the groups come in: their name suffix and the label of the summary.
const SIZES: [(&str, &str); 2] = [("_10", "~7 KB"), ("_100", "~70 KB")];

/// Where the peers are checked in, one directory per API (named as its spec), each recording
/// in `.openapi-generator/` the generator's `VERSION` and the `SPEC_SHA256` of the spec it was
/// generated from (`generate.sh` writes both).
const PEER_DIR: &str = "crates/benchmarks/peer";

/// The APIs the bench calls, by spec name.
const PEER_APIS: [&str; 2] = ["harmony-sase", "cipherscale-policy"];

/// What section 1 is rendered from.
pub(super) struct Inputs<'a> {
    /// `client_overhead.json` (null when the bench wrote none).
    pub results: &'a Value,
    /// Criterion's estimate of `(group, function)`.
    pub estimate: &'a dyn Fn(&str, &str) -> Option<Estimate>,
    /// What the checked-in peers were generated with.
    pub peer: Peer,
    /// Where and when the section was measured, when on its own (`bench --overhead`).
    pub alone: Option<String>,
}

/// What the checked-in peers were generated with.
pub(super) struct Peer {
    /// The OpenAPI Generator version, if recorded.
    pub version: Option<String>,
    /// The specs changed since their peer was generated (or with no hash recorded).
    pub stale: Vec<&'static str>,
}

impl Peer {
    /// Reads the peers' records in the workspace at `root` and compares each recorded spec
    /// hash with the spec's current SHA-256.
    pub(super) fn read(root: &Path) -> Peer {
        let record = |api: &str, file: &str| {
            let path = root
                .join(PEER_DIR)
                .join(api)
                .join(".openapi-generator")
                .join(file);
            std::fs::read_to_string(path)
                .ok()
                .map(|text| text.trim().to_string())
        };
        let current = |api: &str| {
            let spec = std::fs::read(root.join("specs").join(format!("{api}.yaml"))).ok()?;
            Some(crate::sha256_hex(&spec))
        };
        Peer {
            version: record(PEER_APIS[0], "VERSION"),
            stale: PEER_APIS
                .into_iter()
                .filter(|api| {
                    record(api, "SPEC_SHA256").is_none_or(|recorded| current(api) != Some(recorded))
                })
                .collect(),
        }
    }

    /// A sentence on whether the peers match the current specs.
    fn freshness(&self) -> String {
        if self.stale.is_empty() {
            return "Both peers were generated from the specs as they are now.".into();
        }
        let specs: Vec<String> = self
            .stale
            .iter()
            .map(|api| format!("`specs/{api}.yaml`"))
            .collect();
        format!(
            "**The peer of {} was generated from an older version of the spec** (its recorded \
             SHA-256 differs): run `crates/benchmarks/peer/generate.sh` and re-run the bench.",
            specs.join(" and ")
        )
    }
}

/// The paired ratio `name` of `group` (under `paired_ratios`, or beside it for the decoding
/// ratio), summarised.
fn ratio(results: &Value, group: &str, name: &str) -> Option<Paired> {
    let group = &results[group];
    paired(&group["paired_ratios"][name]).or_else(|| paired(&group[name]))
}

/// The group of `size` (a name suffix) with the lowest median of ratio `name`.
fn worst(results: &Value, size: &str, name: &str) -> Option<(Paired, &'static str)> {
    GROUPS
        .iter()
        .filter(|group| group.ends_with(size))
        .filter_map(|group| Some((ratio(results, group, name)?, *group)))
        .min_by(|(a, _), (b, _)| a.median.total_cmp(&b.median))
}

/// Writes section 1 to `out` and its target rows to `summary`.
pub(super) fn render(inputs: &Inputs<'_>, out: &mut String, summary: &mut Vec<[String; 4]>) {
    let results = inputs.results;
    let version = inputs
        .peer
        .version
        .as_deref()
        .unwrap_or("(version unknown)");
    let freshness = inputs.peer.freshness();
    let alone = inputs
        .alone
        .as_deref()
        .map_or(String::new(), |note| format!("{note}\n"));
    let _ = write!(
        out,
        "## 1. Per-request overhead of the clients\n\n\
         `crates/benchmarks/benches/client_overhead.rs`. One request at a time to a minimal \
         axum server on 127.0.0.1 (own thread) answering a fixed JSON list; every variant \
         decodes the same response. `raw_reqwest`: `reqwest::Client::new()`, `send`, \
         `.json::<T>()` into the client's generated types. `raw + client config`: the same with \
         the `reqwest::Client` built from the client's `ClientConfig` (timeouts, user agent). \
         `client`: the generated client (rate limit off; Harmony's token exchange done before \
         measuring). `peer`: the client OpenAPI Generator {version} (`-g rust`: reqwest, async) \
         generates from the same spec, checked in under `crates/benchmarks/peer` (its README \
         says how), with its default `Configuration` (its own `reqwest::Client::new()`), \
         decoding into its own models. {freshness}\n\n{alone}\
         Ratios of throughput (1.00 = as fast; above 1, the first is faster). *Separate runs*: \
         raw ÷ client from criterion's estimates, each variant measured on its own for \
         seconds, one after the other; in brackets the range from the ends of both 95 % \
         confidence intervals. A change in the machine's load between two runs skews this \
         ratio. *Paired*: in each of many rounds the bench times a batch of 20 calls of every \
         variant back to back (raw, raw + client config, the runtime alone (below), the \
         client, the peer), each round starting with the next; the median of the rounds' \
         ratios, in brackets the middle half of them. Load that comes and goes hits every \
         batch of a round alike, so these are the ratios the targets are checked against: \
         raw ÷ client, and client ÷ peer (the peer's time ÷ the client's in the same round).\n\n\
         | request | body | raw_reqwest | raw + client config | client | peer | separate runs (raw ÷ client) | paired raw ÷ client | paired client ÷ peer |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for group in GROUPS {
        let estimate = |function: &str| (inputs.estimate)(group, function);
        let (raw, client) = (estimate("raw_reqwest"), estimate("client"));
        let separate = match (&raw, &client) {
            (Some(raw), Some(client)) => format!(
                "{:.2}× ({:.2}–{:.2})",
                raw.ns / client.ns,
                raw.lo / client.hi,
                raw.hi / client.lo
            ),
            _ => "not measured".into(),
        };
        let bold = |name: &str| {
            ratio(results, group, name).map_or("not measured".into(), |p| format!("**{p}**"))
        };
        let _ = writeln!(
            out,
            "| `{group}` | {} | {} | {} | {} | {} | {separate} | {} | {} |",
            results[group]["body_bytes"]
                .as_u64()
                .map_or("?".into(), |b| format!("{:.1} KB", b as f64 / 1000.0)),
            per_request(&raw),
            per_request(&estimate("raw_reqwest_client_config")),
            per_request(&client),
            per_request(&estimate("peer")),
            bold("client"),
            bold("client_over_peer"),
        );
    }
    render_layers(out, results);
    let rows = summary_rows(results);
    for (_, missed) in &rows {
        if let Some(why) = missed {
            let _ = writeln!(out, "\n**Target missed**: {why}");
        }
    }
    out.push('\n');
    summary.extend(rows.into_iter().map(|(row, _)| row));
}

/// The summary rows of the client targets, each with, when missed, the likely cause.
fn summary_rows(results: &Value) -> Vec<([String; 4], Option<String>)> {
    let mut rows = Vec::new();
    for (size, label) in SIZES {
        let what = format!(
            "1. client throughput ÷ OpenAPI Generator peer, {label} (worst request, paired)"
        );
        let target = format!("≥ {MIN_OVER_PEER:.1}×");
        rows.push(match worst(results, size, "client_over_peer") {
            Some((p, group)) => {
                let met = p.median >= MIN_OVER_PEER;
                let why = (!met).then(|| peer_faster(results, group));
                let measured = format!("{:.2}× (`{group}`)", p.median);
                (row(&what, &measured, &target, Some(met)), why)
            }
            None => (row(&what, "not measured", &target, None), None),
        });
    }
    let what = "1. client throughput ÷ raw reqwest, ~70 KB (worst request, paired)";
    let target = format!("≥ {MIN_OVER_RAW_LARGE}×");
    rows.push(match worst(results, "_100", "client") {
        Some((p, group)) => {
            let met = p.median >= MIN_OVER_RAW_LARGE;
            let why = (!met).then(|| {
                format!(
                    "`{group}`: the client costs more than 5 % of a 70 KB request on this machine."
                )
            });
            let measured = format!("{:.2}× (`{group}`)", p.median);
            (row(what, &measured, &target, Some(met)), why)
        }
        None => (row(what, "not measured", &target, None), None),
    });
    let what = "1. client throughput ÷ raw reqwest, ~7 KB (worst request, paired; layer split in section 1)";
    let target =
        format!("reported; ≥ {SMALL_OVER_RAW_BEFORE:.2}× (before issue 14), higher is better");
    rows.push(match worst(results, "_10", "client") {
        Some((p, group)) => {
            let layer = |name: &str| {
                ratio(results, group, name).map_or("?".into(), |l| format!("{:.3}×", l.median))
            };
            let measured = format!(
                "{:.2}× (`{group}`; client config {}, runtime {})",
                p.median,
                layer("client_config"),
                layer("runtime"),
            );
            let met = p.median >= SMALL_OVER_RAW_BEFORE;
            let why = (!met).then(|| {
                format!(
                    "`{group}` measured below the {SMALL_OVER_RAW_BEFORE:.2}× of before issue \
                     14; the layer split shows which layer costs more."
                )
            });
            (row(what, &measured, &target, Some(met)), why)
        }
        None => (row(what, "not measured", &target, None), None),
    });
    rows
}

/// Why the peer is faster on `group`, from the layer split and the decoding of the same body
/// into each client's types.
fn peer_faster(results: &Value, group: &str) -> String {
    let median = |name: &str| ratio(results, group, name).map(|p| p.median);
    let layers = match (median("client_config"), median("runtime"), median("client")) {
        (Some(config), Some(runtime), Some(client)) => format!(
            " Raw ÷ layer is {config:.3}× with the client's transport settings, \
             {runtime:.3}× through the runtime, {client:.3}× through the generated client."
        ),
        _ => String::new(),
    };
    let types = median("decode_client_over_peer").map_or(String::new(), |d| {
        format!(
            " Decoding the same body alone, with the same `serde_json::from_str`, the peer's \
             time ÷ the client's is {d:.3}×: the client's types keep the spec's open enums \
             typed (an untagged enum of the known values or the text of an unknown one), \
             the peer's read them as plain strings."
        )
    });
    format!(
        "`{group}`: the peer is faster. Both decode with `str::from_utf8` + \
         `serde_json::from_str` (the workspace's progenitor-client carries that patch, \
         `vendor/progenitor-client`).{layers}{types}"
    )
}

/// Where the client's time goes: the paired ratios of the layers between raw reqwest and the
/// client, and the peer's, measured in the same rounds as the client's own.
fn render_layers(out: &mut String, results: &Value) {
    out.push_str(
        "\nWhere the overhead is, from the same paired rounds: raw reqwest's time ÷ each layer's, \
         each layer adding to the one before. *Client config*: the `reqwest::Client` the \
         client's `ClientConfig` builds (connect and total timeouts, user agent). *Runtime*: the \
         same request built by hand, sent through `client_runtime::Runtime::execute` and \
         decoded by progenitor's `ResponseValue::from_response` (the workspace's copy, which \
         decodes with `str::from_utf8` + `serde_json::from_str`: `vendor/progenitor-client`). *Client*: the generated \
         client, which adds progenitor's request builder (one `.query()` per declared \
         parameter, the header map), its hooks and the client's authentication. These are \
         fixed costs of some microseconds per request, so they weigh most on the smallest \
         responses. *Peer*: raw reqwest's time ÷ the OpenAPI Generator client's, for \
         comparison (it reads the body with `resp.text()` and decodes with \
         `serde_json::from_str`). *Decode*: decoding the body alone, in separate paired \
         rounds: the time of `serde_json::from_slice` (what the progenitor-client release and \
         reqwest's `.json()` do) ÷ the time of `str::from_utf8` + `serde_json::from_str` (what \
         the peer and the workspace's patched progenitor-client do), into the client's types: \
         what the patch gains. *Decode, types*: the same body decoded with `from_str` into \
         the peer's types ÷ into the client's (above 1, the client's types decode faster; the \
         client's open enums are untagged enums of the known values or the unknown text, the \
         peer's are plain strings).\n\n\
         | request | client config | runtime | client | peer | decode: from_slice ÷ from_str | decode, types: peer ÷ client |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for group in GROUPS {
        let layer = |name: &str| {
            ratio(results, group, name).map_or("not measured".into(), |p| p.to_string())
        };
        let _ = writeln!(
            out,
            "| `{group}` | {} | {} | {} | {} | {} | {} |",
            layer("client_config"),
            layer("runtime"),
            layer("client"),
            layer("peer"),
            layer("decode_slice_over_str"),
            layer("decode_client_over_peer"),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// `client_overhead.json` with every paired ratio of every group set to `ratio`, except
    /// the client ÷ peer ratios, set to `over_peer`.
    fn results(ratio: f64, over_peer: f64) -> Value {
        let group = json!({
            "body_bytes": 7000,
            "paired_ratios": {
                "client_config": [ratio], "runtime": [ratio], "client": [ratio],
                "peer": [ratio], "client_over_peer": [over_peer],
            },
            "decode_slice_over_str": [1.15],
            "decode_client_over_peer": [0.95],
        });
        GROUPS
            .iter()
            .map(|g| (g.to_string(), group.clone()))
            .collect()
    }

    #[test]
    fn summary_has_one_row_per_target_and_says_which_are_missed() {
        let rows = summary_rows(&results(0.96, 1.2));
        let verdicts: Vec<&str> = rows.iter().map(|(row, _)| row[3].as_str()).collect();
        assert_eq!(verdicts, ["met", "met", "met", "met"]);
        let rows = summary_rows(&results(0.9, 0.8));
        let verdicts: Vec<&str> = rows.iter().map(|(row, _)| row[3].as_str()).collect();
        assert_eq!(verdicts, ["**missed**"; 4]);
        assert!(rows.iter().all(|(_, why)| why.is_some()));
        let why = rows[0].1.as_deref().unwrap_or_default();
        assert!(
            why.contains("the peer's time ÷ the client's is 0.950×"),
            "{why}"
        );
        assert!(why.contains("0.900× through the runtime"), "{why}");
    }

    #[test]
    fn missing_results_are_reported_as_not_measured() {
        let rows = summary_rows(&Value::Null);
        assert!(
            rows.iter()
                .all(|(row, why)| row[1] == "not measured" && why.is_none())
        );
    }

    #[test]
    fn peer_is_stale_when_the_recorded_spec_hash_differs_or_is_missing() {
        let root = std::env::temp_dir().join(format!("xtask-peer-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for api in PEER_APIS {
            let record = root.join(PEER_DIR).join(api).join(".openapi-generator");
            std::fs::create_dir_all(&record).expect("record directory");
            std::fs::create_dir_all(root.join("specs")).expect("specs directory");
            std::fs::write(root.join(format!("specs/{api}.yaml")), "openapi: 3.0.3\n")
                .expect("spec");
            std::fs::write(record.join("VERSION"), "7.26.0\n").expect("version");
        }
        // SHA-256 of "openapi: 3.0.3\n", recorded for Harmony only.
        let hash = crate::sha256_hex(b"openapi: 3.0.3\n");
        let record = root
            .join(PEER_DIR)
            .join("harmony-sase/.openapi-generator/SPEC_SHA256");
        std::fs::write(record, format!("{hash}\n")).expect("hash");
        let peer = Peer::read(&root);
        assert_eq!(peer.version.as_deref(), Some("7.26.0"));
        assert_eq!(peer.stale, ["cipherscale-policy"]);
        std::fs::write(root.join("specs/harmony-sase.yaml"), "openapi: 3.0.4\n").expect("spec");
        assert_eq!(Peer::read(&root).stale, PEER_APIS);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn render_writes_the_peer_column_and_the_summary() {
        let results = results(0.97, 1.1);
        let estimate = |_: &str, _: &str| None;
        let inputs = Inputs {
            results: &results,
            estimate: &estimate,
            peer: Peer {
                version: Some("7.26.0".into()),
                stale: vec!["cipherscale-policy"],
            },
            alone: Some("This section was measured on its own.\n".into()),
        };
        let (mut out, mut summary) = (String::new(), Vec::new());
        render(&inputs, &mut out, &mut summary);
        assert!(out.contains("OpenAPI Generator 7.26.0"));
        assert!(out.contains("This section was measured on its own."));
        assert!(
            out.contains("peer of `specs/cipherscale-policy.yaml` was generated from an older")
        );
        assert!(out.contains("| paired client ÷ peer |"));
        assert!(out.contains("**1.100× (1.100–1.100, 1 rounds)** |"));
        assert!(
            out.contains("| 1.150× (1.150–1.150, 1 rounds) | 0.950× (0.950–0.950, 1 rounds) |\n")
        );
        assert_eq!(summary.len(), 4);
    }
}
