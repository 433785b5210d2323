//! Example validation: every `example` checked against its Schema Object with the strict
//! OpenAPI 3.0.3 → JSON Schema 2020-12 conversion of the `spec-schema` crate (`oneOf` is
//! exactly-one, `nullable` counts only beside a `type`, `x-*` are annotations, formats asserted),
//! the same one the workspace tests validate the fixtures with.

use serde_json::Value;
use spec_schema::StrictValidator;

/// Validates example values against schemas of one document.
pub struct ExampleChecker(StrictValidator);

impl ExampleChecker {
    pub fn new(root: &Value) -> Self {
        ExampleChecker(StrictValidator::new(root))
    }

    /// `Ok` when `example` validates against the OpenAPI `schema`; otherwise up to three
    /// reasons, each with the location inside the example.
    pub fn check(&self, schema: &Value, example: &Value) -> Result<(), String> {
        self.0.validate(schema, example).map_err(|violations| {
            let reasons: Vec<String> = violations
                .iter()
                .take(3)
                .map(|v| match v.instance_path.as_str() {
                    "" => v.message.clone(),
                    at => format!("at {at}: {}", v.message),
                })
                .collect();
            reasons.join("; ")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checker(components: Value) -> ExampleChecker {
        ExampleChecker::new(&json!({ "components": { "schemas": components } }))
    }

    #[test]
    fn open_enums_strictly() {
        let checker = checker(json!({
            "Status": { "type": "string", "x-extensible-enum": ["ACTIVE"] },
            "LegacyKnown": { "type": "string", "enum": ["ACTIVE"] },
            "Legacy": { "oneOf": [{ "$ref": "#/components/schemas/LegacyKnown" }, { "type": "string" }] },
        }));
        let status = json!({ "$ref": "#/components/schemas/Status" });
        assert_eq!(checker.check(&status, &json!("ACTIVE")), Ok(()));
        assert_eq!(checker.check(&status, &json!("NEW")), Ok(()));
        assert!(checker.check(&status, &json!(3)).is_err());
        // A known value matches both branches of the legacy form: `oneOf` rejects it.
        let legacy = json!({ "$ref": "#/components/schemas/Legacy" });
        assert!(checker.check(&legacy, &json!("ACTIVE")).is_err());
        assert_eq!(checker.check(&legacy, &json!("NEW")), Ok(()));
    }

    #[test]
    fn nullable_only_beside_a_type() {
        let checker = checker(json!({ "A": { "type": "object" } }));
        let ignored = json!({ "nullable": true, "allOf": [{ "$ref": "#/components/schemas/A" }] });
        assert!(checker.check(&ignored, &Value::Null).is_err());
        let branch = json!({ "anyOf": [
            { "$ref": "#/components/schemas/A" },
            { "type": "object", "nullable": true, "enum": [null] },
        ] });
        assert_eq!(checker.check(&branch, &Value::Null), Ok(()));
        assert_eq!(checker.check(&branch, &json!({})), Ok(()));
    }

    #[test]
    fn nullable_formats_and_bounds() {
        let checker = checker(json!({}));
        let id = json!({ "type": "string", "format": "uuid", "nullable": true, "x-note": "n" });
        assert_eq!(checker.check(&id, &Value::Null), Ok(()));
        let error = checker.check(&id, &json!("not-a-uuid")).unwrap_err();
        assert!(error.contains("uuid"), "{error}");
        let small = json!({ "type": "integer", "format": "int32" });
        assert!(checker.check(&small, &json!(1_i64 << 40)).is_err());
        let positive = json!({ "type": "number", "minimum": 0, "exclusiveMinimum": true });
        assert!(checker.check(&positive, &json!(0)).is_err());
        assert_eq!(checker.check(&positive, &json!(0.5)), Ok(()));
    }

    #[test]
    fn reports_where_in_the_example() {
        let checker = checker(json!({
            "Thing": { "type": "object", "properties": { "n": { "type": "integer" } } },
        }));
        let list = json!({ "type": "array", "items": { "$ref": "#/components/schemas/Thing" } });
        let error = checker
            .check(&list, &json!([{ "n": 1 }, { "n": "x" }]))
            .unwrap_err();
        assert!(error.starts_with("at /1/n: "), "{error}");
    }
}
