//! What the derived JSON schemas of requests cannot say by themselves: a rule that ties one
//! field to another (a pharmacy is level 0; a teller's login names a branch), written as a
//! choice of cases so that a client can check it before it sends.

use schemars::Schema;
use serde_json::{Map, Value};

/// Replaces an object's schema by a choice (`oneOf`) of copies of it, one per case: each
/// case is `{"properties": {field: constraints…}, "required": [field…]}`, whose constraints
/// are laid over the field's own and whose fields become required. The cases must exclude
/// one another (each fixes one field to values no other case allows). The description stays
/// on the choice.
pub(crate) fn cases(schema: &mut Schema, cases: &[Value]) {
    let mut base = schema.as_object().cloned().unwrap_or_default();
    let description = base.remove("description");
    let branches: Vec<Value> = cases
        .iter()
        .map(|case| {
            let mut branch = base.clone();
            if let (Some(Value::Object(properties)), Some(laid)) = (
                branch.get_mut("properties"),
                case.get("properties").and_then(Value::as_object),
            ) {
                for (name, constraints) in laid {
                    if let (Some(Value::Object(field)), Some(constraints)) =
                        (properties.get_mut(name), constraints.as_object())
                    {
                        field.extend(constraints.clone());
                    }
                }
            }
            let required = branch
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let (Some(list), Some(more)) = (
                required.as_array_mut(),
                case.get("required").and_then(Value::as_array),
            ) {
                list.extend(
                    more.iter()
                        .filter(|name| !list.contains(name))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            Value::Object(branch)
        })
        .collect();
    let mut choice = Map::new();
    if let Some(description) = description {
        choice.insert("description".into(), description);
    }
    choice.insert("oneOf".into(), Value::Array(branches));
    *schema = Schema::from(choice);
}
