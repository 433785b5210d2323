//! `--output table`: a JSON value as a plain text table.
//!
//! A list (a bare array, or the array in a `data` or `response` field) is one row per item
//! and one column per field (`id` and `name` first, then by name); anything else is one row
//! per field. Nested values are shown as compact JSON, and long cells are cut.

use serde_json::Value;

/// The widest a cell gets, in characters.
const MAX_CELL: usize = 48;

/// Columns shown first, when the items have them.
const LEADING: &[&str] = &["id", "name"];

/// Renders `value` as a table (without a trailing newline).
pub fn render(value: &Value) -> String {
    match list(value) {
        Some(items) => items_table(items),
        None => fields_table(value),
    }
}

fn list(value: &Value) -> Option<&[Value]> {
    match value {
        Value::Array(items) => Some(items),
        Value::Object(fields) => ["data", "response"]
            .iter()
            .find_map(|key| fields.get(*key)?.as_array().map(Vec::as_slice)),
        _ => None,
    }
}

fn items_table(items: &[Value]) -> String {
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        if let Value::Object(fields) = item {
            for key in fields.keys() {
                if !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
    }
    let rank = |column: &&str| LEADING.iter().position(|leading| leading == column);
    columns.sort_by(|a, b| match (rank(a), rank(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    });
    if columns.is_empty() {
        let rows = items.iter().map(|item| vec![cell(item)]).collect();
        return layout(&["value"], rows);
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|column| item.get(*column).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    layout(&columns, rows)
}

fn fields_table(value: &Value) -> String {
    let rows = match value {
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| vec![key.clone(), cell(value)])
            .collect(),
        other => vec![vec![String::new(), cell(other)]],
    };
    layout(&["field", "value"], rows)
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\t'], " ");
    if text.chars().count() > MAX_CELL {
        let cut: String = text.chars().take(MAX_CELL - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn layout(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, text) in widths.iter_mut().zip(row) {
            *width = (*width).max(text.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(text, width)| format!("{text:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    std::iter::once(line(header.to_vec()))
        .chain(
            rows.iter()
                .map(|row| line(row.iter().map(String::as_str).collect())),
        )
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_is_one_row_per_item_id_and_name_first() {
        let users = json!({"data": [
            {"id": "u1", "email": "a@example.com", "name": "A"},
            {"id": "u2", "email": "b@example.com", "roles": ["admin"]}
        ], "page": 1});
        assert_eq!(
            render(&users),
            "id  name  email          roles\n\
             u1  A     a@example.com\n\
             u2        b@example.com  [\"admin\"]"
        );
    }

    #[test]
    fn anything_else_is_one_row_per_field_and_long_cells_are_cut() {
        let long = "x".repeat(60);
        let table = render(&json!({"name": long, "none": null}));
        let lines: Vec<_> = table.lines().collect();
        assert_eq!(lines[0], "field  value");
        assert_eq!(lines[1], format!("name   {}…", "x".repeat(MAX_CELL - 1)));
        assert_eq!(lines[2], "none");
    }
}
