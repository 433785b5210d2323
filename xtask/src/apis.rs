//! The table of APIs the workspace generates clients for: adding an API is one entry here.

/// One API: where its spec lives, where its generated code goes and how it is generated.
pub struct Api {
    /// Short name used by `--api` and in messages; also the spec's file stem.
    pub name: &'static str,
    /// Path of the generated client code, relative to the workspace root.
    pub output: &'static str,
    /// Rust path (from inside the client crate) of the state every request hook can reach.
    pub inner_type: &'static str,
    /// Whether to add progenitor's httpmock extension as a `mock` module behind the crate's
    /// `mock` feature (which must enable the `httpmock` and `regex` dependencies).
    pub mock: bool,
    /// Path of the base URL below the origin (the servers' path), which the mocks must match
    /// in front of every operation path, e.g. `/config-saas-rules/v2`.
    pub base_path: &'static str,
    /// Path of the generated `secapi` subcommands for this API (progenitor's clap CLI),
    /// relative to the workspace root; empty for no CLI.
    pub cli_output: &'static str,
}

impl Api {
    /// Path of the spec, relative to the workspace root.
    pub fn spec(&self) -> String {
        format!("specs/{}.yaml", self.name)
    }

    /// Rust path of the client crate's generated module, which the generated CLI imports
    /// (`Client`, `Error`, `ResponseValue`, `types`, `builder`).
    pub fn generated_module(&self) -> String {
        format!("{}::generated", self.name.replace('-', "_"))
    }
}

/// Every API of the workspace, in generation order.
pub const APIS: &[Api] = &[
    Api {
        name: "harmony-sase",
        output: "crates/harmony-sase/src/generated.rs",
        inner_type: "std::sync::Arc<client_runtime::Inner<crate::TokenCache>>",
        mock: true,
        base_path: "",
        cli_output: "crates/cli/src/generated/harmony_sase.rs",
    },
    Api {
        name: "saas-rules",
        output: "crates/saas-rules/src/generated.rs",
        inner_type: "std::sync::Arc<client_runtime::Inner<edgegrid::EdgeGrid>>",
        mock: true,
        base_path: "/config-saas-rules/v2",
        cli_output: "crates/cli/src/generated/saas_rules.rs",
    },
    Api {
        name: "cipherscale-policy",
        output: "crates/cipherscale-policy/src/generated.rs",
        inner_type: "std::sync::Arc<client_runtime::Inner<client_runtime::HeaderKey>>",
        mock: true,
        // The documented stage; mocks for another stage use `into_inner()` matchers.
        base_path: "/qa",
        cli_output: "crates/cli/src/generated/cipherscale_policy.rs",
    },
];

/// Generator settings for a spec with no entry above (`cargo xtask lint FILE`, `cargo xtask diff
/// --base FILE --head FILE`): no hooks state, no mocks.
pub const STANDALONE: Api = Api {
    name: "standalone",
    output: "",
    inner_type: "()",
    mock: false,
    base_path: "",
    cli_output: "",
};

/// Looks an API up by name, or lists the valid names in the error.
pub fn find(name: &str) -> anyhow::Result<&'static Api> {
    APIS.iter().find(|api| api.name == name).ok_or_else(|| {
        let names: Vec<_> = APIS.iter().map(|api| api.name).collect();
        anyhow::anyhow!("unknown API `{name}`; known: {}", names.join(", "))
    })
}
