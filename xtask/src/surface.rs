//! A readable summary of a generated client's Rust API, for snapshots and spec reviews.
//!
//! One line per operation (HTTP method, path, Rust method, parameters, success and error
//! types), then each type with its fields or variants. It is read off the generated code
//! itself, so it shows exactly what callers get.

use std::fmt::Write as _;

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, ReturnType, Type};

/// Renders the API surface of generated client code.
pub fn render(api_name: &str, code: &str) -> anyhow::Result<String> {
    let file = syn::parse_file(code)?;
    let mut out = format!(
        "{api_name} API surface (generated.rs sha256 {})\n\noperations:\n",
        &crate::sha256_hex(code.as_bytes())[..16]
    );
    let builders = module_items(&file.items, "builder");
    for (method, path, name, builder) in operations(&file.items) {
        let params = builder_params(builders, &builder).join(", ");
        let (ok, err) = send_types(builders, &builder).unwrap_or_default();
        writeln!(out, "  {method} {path}  {name}({params}) -> {ok} ! {err}")?;
    }
    out.push_str("\ntypes:\n");
    for item in module_items(&file.items, "types") {
        match item {
            Item::Struct(s) => {
                let fields = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .map(|f| format!("{}: {}", ident(&f.ident), tidy(&f.ty)))
                        .collect::<Vec<_>>(),
                    other => vec![tidy_tokens(other.to_token_stream().to_string())],
                };
                writeln!(out, "  struct {} {{ {} }}", s.ident, fields.join(", "))?;
            }
            Item::Enum(e) => {
                let variants: Vec<_> = e
                    .variants
                    .iter()
                    .map(|v| match &v.fields {
                        Fields::Unit => v.ident.to_string(),
                        fields => format!(
                            "{}{}",
                            v.ident,
                            tidy_tokens(fields.to_token_stream().to_string())
                        ),
                    })
                    .collect();
                writeln!(out, "  enum {} {{ {} }}", e.ident, variants.join(", "))?;
            }
            _ => {}
        }
    }
    Ok(out)
}

/// (HTTP method, path, Rust method, builder type) for each operation, in file order.
fn operations(items: &[Item]) -> Vec<(String, String, String, String)> {
    let mut ops = Vec::new();
    for item in items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || tidy(&block.self_ty) != "Client" {
            continue;
        }
        for member in &block.items {
            let ImplItem::Fn(f) = member else { continue };
            let ReturnType::Type(_, ret) = &f.sig.output else {
                continue;
            };
            let ret = tidy(ret);
            let Some(builder) = ret.strip_prefix("builder::") else {
                continue;
            };
            let builder = builder.split('<').next().unwrap_or(builder).to_string();
            let (method, path) = request_line(&doc(&f.attrs)).unwrap_or_default();
            ops.push((method, path, f.sig.ident.to_string(), builder));
        }
    }
    ops
}

/// Reads "Sends a `GET` request to `/path`" from progenitor's doc comment.
fn request_line(doc: &str) -> Option<(String, String)> {
    let rest = doc.split("Sends a `").nth(1)?;
    let (method, rest) = rest.split_once('`')?;
    let path = rest.split('`').nth(1)?;
    Some((method.to_string(), path.to_string()))
}

fn doc(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn module_items<'a>(items: &'a [Item], name: &str) -> &'a [Item] {
    items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

/// The builder's parameters: every field but `client`, as `name: Type`.
fn builder_params(builders: &[Item], builder: &str) -> Vec<String> {
    builders
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == builder => Some(s),
            _ => None,
        })
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| ident(&f.ident) != "client")
                .map(|f| {
                    format!(
                        "{}: {}",
                        ident(&f.ident),
                        unwrap_builder_result(&tidy(&f.ty))
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Builder fields are `Result<T, String>`; show `T`.
fn unwrap_builder_result(ty: &str) -> String {
    ty.strip_prefix("Result<")
        .and_then(|t| t.strip_suffix(", String>"))
        .unwrap_or(ty)
        .to_string()
}

/// The success and error types of the builder's `send`.
fn send_types(builders: &[Item], builder: &str) -> Option<(String, String)> {
    builders.iter().find_map(|item| {
        let Item::Impl(block) = item else { return None };
        if tidy(&block.self_ty).split('<').next() != Some(builder) {
            return None;
        }
        block.items.iter().find_map(|member| {
            let ImplItem::Fn(f) = member else { return None };
            if f.sig.ident != "send" || !matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_))) {
                return None;
            }
            let ReturnType::Type(_, ret) = &f.sig.output else {
                return None;
            };
            let ret = tidy(ret);
            let inner = ret
                .strip_prefix("Result<ResponseValue<")?
                .strip_suffix(">>")?;
            let (ok, err) = inner.split_once(">, Error<")?;
            Some((ok.to_string(), err.to_string()))
        })
    })
}

fn ident(ident: &Option<syn::Ident>) -> String {
    ident.as_ref().map(|i| i.to_string()).unwrap_or_default()
}

fn tidy(ty: &Type) -> String {
    tidy_tokens(ty.to_token_stream().to_string())
}

/// Shortens fully qualified paths so a type reads as a caller writes it.
fn tidy_tokens(tokens: String) -> String {
    let mut text: String = tokens.chars().filter(|c| !c.is_whitespace()).collect();
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::boxed::",
        "::std::num::",
        "::chrono::offset::",
        "::chrono::",
        "::serde_json::",
        "::uuid::",
        "types::",
        "super::",
        "pub",
        "'a,",
        "'_,",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace(",>", ">").replace(',', ", ")
}
