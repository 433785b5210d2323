//! An OpenAPI document of `specs/` read as JSON: the schema of an operation's request or
//! response, and every example the document carries with the schema it illustrates.

use std::path::PathBuf;

use serde_json::{Value, json};

/// Where a payload belongs in a spec.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The `application/json` body of an operation's response: (operationId, status).
    Response(&'static str, &'static str),
    /// The `application/json` request body of an operation (operationId).
    Request(&'static str),
    /// A schema of `components.schemas`, by name.
    Schema(&'static str),
    /// A JSON array of a `components.schemas` schema, by name.
    ListOf(&'static str),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Response(operation, status) => write!(f, "{operation} {status} response"),
            Target::Request(operation) => write!(f, "{operation} request body"),
            Target::Schema(name) => write!(f, "#/components/schemas/{name}"),
            Target::ListOf(name) => write!(f, "array of #/components/schemas/{name}"),
        }
    }
}

/// An example found in a spec: where it is, the schema it must match, and its value.
#[derive(Debug, Clone)]
pub struct Example {
    /// JSON pointer of the example in the document (`…/example` or `…/examples/<name>/value`).
    pub location: String,
    /// JSON pointer of the schema it is checked against.
    pub schema_location: String,
    /// That schema (an OpenAPI Schema Object, possibly a `$ref`).
    pub schema: Value,
    /// The example value.
    pub value: Value,
}

/// One spec of `specs/`, parsed into JSON.
pub struct SpecDocument {
    /// The document as written (no transform: open enums and nullability as in the file).
    pub root: Value,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl SpecDocument {
    /// Reads `specs/<api>.yaml` of this repository.
    pub fn load(api: &str) -> Result<Self, String> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../specs")
            .join(format!("{api}.yaml"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let root: Value =
            serde_yaml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        Ok(SpecDocument { root })
    }

    /// The schema a payload of `target` must match, with its JSON pointer in the document.
    pub fn schema_of(&self, target: Target) -> Result<(String, Value), String> {
        match target {
            Target::Schema(name) => {
                let pointer = format!("/components/schemas/{}", escape(name));
                self.root
                    .pointer(&pointer)
                    .map(|_| {
                        (
                            pointer,
                            json!({"$ref": format!("#/components/schemas/{name}")}),
                        )
                    })
                    .ok_or_else(|| format!("no schema {name} in components.schemas"))
            }
            Target::ListOf(name) => {
                let (pointer, item) = self.schema_of(Target::Schema(name))?;
                Ok((pointer, json!({"type": "array", "items": item})))
            }
            Target::Request(operation) => {
                let (at, op) = self.operation(operation)?;
                let (at, body) =
                    self.resolve(&format!("{at}/requestBody"), op.get("requestBody"))?;
                media_schema(&at, body)
            }
            Target::Response(operation, status) => {
                let (at, op) = self.operation(operation)?;
                let at = format!("{at}/responses/{status}");
                let (at, response) =
                    self.resolve(&at, op.pointer(&format!("/responses/{status}")))?;
                media_schema(&at, response)
            }
        }
    }

    /// Every `example` and `examples` entry of the document, with the schema it illustrates:
    /// in Schema Objects (at any depth), Media Type Objects, Parameter and Header Objects.
    pub fn examples(&self) -> Vec<Example> {
        let mut found = Vec::new();
        for (at, schema) in self.components("schemas") {
            walk_schema(&at, schema, &mut found);
        }
        for (at, parameter) in self
            .components("parameters")
            .chain(self.components("headers"))
        {
            self.with_schema(&at, parameter, &mut found);
        }
        for (at, body) in self.components("requestBodies") {
            self.content(&at, body, &mut found);
        }
        for (at, response) in self.components("responses") {
            self.response(&at, response, &mut found);
        }
        let paths = self.root.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let at = format!("/paths/{}", escape(path));
            self.parameters(&at, item, &mut found);
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = format!("{at}/{method}");
                self.parameters(&at, op, &mut found);
                if let Some(body) = op.get("requestBody") {
                    self.content(&format!("{at}/requestBody"), body, &mut found);
                }
                let responses = op.get("responses").and_then(Value::as_object);
                for (status, response) in responses.into_iter().flatten() {
                    self.response(&format!("{at}/responses/{status}"), response, &mut found);
                }
            }
        }
        found
    }

    /// The entries of `components.<kind>`, each with its JSON pointer.
    fn components<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (String, &'a Value)> {
        self.root
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(move |(name, v)| (format!("/components/{kind}/{}", escape(name)), v))
    }

    /// The operation with this `operationId` and its JSON pointer.
    fn operation(&self, operation_id: &str) -> Result<(String, &Value), String> {
        let paths = self.root.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            for method in METHODS {
                if let Some(op) = item.get(method)
                    && op.get("operationId").and_then(Value::as_str) == Some(operation_id)
                {
                    return Ok((format!("/paths/{}/{method}", escape(path)), op));
                }
            }
        }
        Err(format!("no operation {operation_id}"))
    }

    /// `value` at `at`, following a `$ref` to `#/components/...`.
    fn resolve<'a>(
        &'a self,
        at: &str,
        value: Option<&'a Value>,
    ) -> Result<(String, &'a Value), String> {
        let value = value.ok_or_else(|| format!("nothing at {at}"))?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference
                    .strip_prefix('#')
                    .ok_or_else(|| format!("{at}: non-local $ref {reference}"))?;
                let target = self
                    .root
                    .pointer(pointer)
                    .ok_or_else(|| format!("{at}: $ref {reference} does not resolve"))?;
                Ok((pointer.to_string(), target))
            }
            None => Ok((at.to_string(), value)),
        }
    }

    /// Examples of a Parameter, Header or Media Type Object (not a `$ref`) and of its schema.
    fn with_schema(&self, at: &str, object: &Value, found: &mut Vec<Example>) {
        if object.get("$ref").is_some() {
            return; // the component is walked where it is defined
        }
        let Some(schema) = object.get("schema") else {
            return;
        };
        let schema_location = format!("{at}/schema");
        walk_schema(&schema_location, schema, found);
        let mut push = |location: String, value: &Value| {
            found.push(Example {
                location,
                schema_location: schema_location.clone(),
                schema: schema.clone(),
                value: value.clone(),
            })
        };
        if let Some(example) = object.get("example") {
            push(format!("{at}/example"), example);
        }
        let examples = object.get("examples").and_then(Value::as_object);
        for (name, example) in examples.into_iter().flatten() {
            let at = format!("{at}/examples/{}", escape(name));
            match self.resolve(&at, Some(example)) {
                Ok((location, example)) => {
                    if let Some(value) = example.get("value") {
                        push(format!("{location}/value"), value);
                    }
                }
                Err(why) => push(at, &json!({ "unresolved": why })),
            }
        }
    }

    fn parameters(&self, at: &str, owner: &Value, found: &mut Vec<Example>) {
        let parameters = owner.get("parameters").and_then(Value::as_array);
        for (i, parameter) in parameters.into_iter().flatten().enumerate() {
            self.with_schema(&format!("{at}/parameters/{i}"), parameter, found);
        }
    }

    fn content(&self, at: &str, owner: &Value, found: &mut Vec<Example>) {
        let content = owner.get("content").and_then(Value::as_object);
        for (media, object) in content.into_iter().flatten() {
            self.with_schema(&format!("{at}/content/{}", escape(media)), object, found);
        }
    }

    fn response(&self, at: &str, response: &Value, found: &mut Vec<Example>) {
        if response.get("$ref").is_some() {
            return;
        }
        self.content(at, response, found);
        let headers = response.get("headers").and_then(Value::as_object);
        for (name, header) in headers.into_iter().flatten() {
            self.with_schema(&format!("{at}/headers/{}", escape(name)), header, found);
        }
    }
}

/// The `application/json` schema of a Request Body or Response Object at `at`.
fn media_schema(at: &str, owner: &Value) -> Result<(String, Value), String> {
    let at = format!("{at}/content/application~1json/schema");
    owner
        .pointer("/content/application~1json/schema")
        .map(|schema| (at.clone(), schema.clone()))
        .ok_or_else(|| format!("no schema at {at}"))
}

/// Collects the `example` of `schema` and of every schema inside it.
fn walk_schema(at: &str, schema: &Value, found: &mut Vec<Example>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(example) = map.get("example") {
        found.push(Example {
            location: format!("{at}/example"),
            schema_location: at.to_string(),
            schema: schema.clone(),
            value: example.clone(),
        });
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = map.get(key) {
            walk_schema(&format!("{at}/{key}"), inner, found);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let branches = map.get(key).and_then(Value::as_array);
        for (i, branch) in branches.into_iter().flatten().enumerate() {
            walk_schema(&format!("{at}/{key}/{i}"), branch, found);
        }
    }
    let properties = map.get("properties").and_then(Value::as_object);
    for (name, property) in properties.into_iter().flatten() {
        walk_schema(
            &format!("{at}/properties/{}", escape(name)),
            property,
            found,
        );
    }
}

/// `token` escaped for a JSON pointer (`~` → `~0`, `/` → `~1`).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> SpecDocument {
        SpecDocument {
            root: json!({
                "paths": {"/things/{id}": {
                    "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"},
                                    "example": "t1"}],
                    "get": {"operationId": "getThing", "responses": {
                        "200": {"$ref": "#/components/responses/Thing"},
                        "404": {"description": "none", "content": {"application/json": {
                            "schema": {"type": "object"},
                            "examples": {"gone": {"$ref": "#/components/examples/Gone"}}}}}}}}},
                "components": {
                    "schemas": {"Thing": {"type": "object", "example": {"name": "a"},
                        "properties": {"name": {"type": "string", "example": "a"}}}},
                    "responses": {"Thing": {"description": "a thing", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"},
                                             "example": {"name": "b"}}}}},
                    "examples": {"Gone": {"value": {"gone": true}}}}
            }),
        }
    }

    #[test]
    fn finds_every_example_with_its_schema() {
        let mut found: Vec<(String, String)> = document()
            .examples()
            .into_iter()
            .map(|e| (e.location, e.schema_location))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (
                    "/components/examples/Gone/value",
                    "/paths/~1things~1{id}/get/responses/404/content/application~1json/schema"
                ),
                (
                    "/components/responses/Thing/content/application~1json/example",
                    "/components/responses/Thing/content/application~1json/schema"
                ),
                (
                    "/components/schemas/Thing/example",
                    "/components/schemas/Thing"
                ),
                (
                    "/components/schemas/Thing/properties/name/example",
                    "/components/schemas/Thing/properties/name"
                ),
                (
                    "/paths/~1things~1{id}/parameters/0/example",
                    "/paths/~1things~1{id}/parameters/0/schema"
                ),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn resolves_targets_through_refs() {
        let doc = document();
        let (at, schema) = doc.schema_of(Target::Response("getThing", "200")).unwrap();
        assert_eq!(
            at,
            "/components/responses/Thing/content/application~1json/schema"
        );
        assert_eq!(schema, json!({"$ref": "#/components/schemas/Thing"}));
        let (_, list) = doc.schema_of(Target::ListOf("Thing")).unwrap();
        assert_eq!(list["items"], json!({"$ref": "#/components/schemas/Thing"}));
        assert!(doc.schema_of(Target::Request("getThing")).is_err());
        assert!(doc.schema_of(Target::Schema("Nothing")).is_err());
    }
}
