//! The OpenAPI 3.1 description of typed operations: schemas derived from their types with
//! schemars (JSON Schema 2020-12, definitions under `#/components/schemas/`, every object
//! with `properties` closed), and the parameters and answers every operation shares.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::{Transform, transform_subschemas};
use serde_json::{Map, Value, json};

use super::kinds::{Input, Output, PathParams, QueryParams};
use super::{COMMON_ERRORS, Operation};

/// Closes every object schema that lists `properties`: `additionalProperties: false`, so
/// answers (which serde does not check) are as strict as requests.
#[derive(Clone)]
struct Closed;

impl Transform for Closed {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        if let Some(object) = schema.as_object_mut()
            && object.contains_key("properties")
        {
            object
                .entry("additionalProperties")
                .or_insert(Value::Bool(false));
        }
        transform_subschemas(self, schema);
    }
}

/// The schema generators of one document: requests as they are read (an `Option` field may
/// be left out), answers as they are written (every field present, `null` for `None`). The
/// two contracts need one generator each; their definitions share one namespace, and a name
/// both read and written with different schemas fails the document's test.
pub(crate) struct Generators {
    pub(crate) requests: SchemaGenerator,
    pub(crate) answers: SchemaGenerator,
}

impl Generators {
    pub(crate) fn new() -> Generators {
        let settings = SchemaSettings::draft2020_12()
            .with(|settings| {
                settings.definitions_path = "/components/schemas/".into();
                settings.meta_schema = None;
            })
            .with_transform(Closed);
        Generators {
            requests: settings.clone().for_deserialize().into_generator(),
            answers: settings.for_serialize().into_generator(),
        }
    }

    /// Every definition either generator made, closed.
    pub(crate) fn definitions(mut self) -> Result<Map<String, Value>, String> {
        let mut definitions = self.requests.take_definitions(true);
        for (name, schema) in self.answers.take_definitions(true) {
            match definitions.get(&name) {
                Some(read) if *read != schema => {
                    return Err(format!("{name} is read and written with different schemas"));
                }
                _ => {
                    definitions.insert(name, schema);
                }
            }
        }
        Ok(definitions)
    }
}

/// The OpenAPI 3.1 document of every operation of [`super::all`].
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut generators = Generators::new();
    for entry in super::all() {
        let item = paths
            .entry(entry.spec.path.to_owned())
            .or_insert_with(|| json!({}));
        item[entry.spec.method.as_str().to_ascii_lowercase()] = (entry.describe)(&mut generators);
    }
    let mut schemas = match generators.definitions() {
        Ok(definitions) => definitions,
        // The test `every_schema_is_derived_once_and_closed` keeps this from happening.
        Err(clash) => {
            tracing::error!(target: "shebao::http", clash, "schema names clash");
            Map::new()
        }
    };
    schemas.insert("Problem".to_owned(), problem_schema());
    let mut document = json!({
        "openapi": "3.1.0",
        "info": info(),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    });
    bound_integers(&mut document);
    document
}

/// Gives every integer schema of a width (`format` int32, uint32, …) the bounds of that
/// width where it states none (schemars leaves them out), so that a client knows before it
/// sends that a `u32` quantity of 27,994,987,727 is refused.
fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let bounds: Option<(Value, Value)> = match object.get("format").and_then(Value::as_str)
            {
                Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
                Some("uint8") => Some((0.into(), u8::MAX.into())),
                Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
                Some("uint16") => Some((0.into(), u16::MAX.into())),
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("uint32") => Some((0.into(), u32::MAX.into())),
                Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
                Some("uint64") => Some((0.into(), u64::MAX.into())),
                _ => None,
            };
            if let Some((least, most)) = bounds {
                object.entry("minimum").or_insert(least);
                object.entry("maximum").or_insert(most);
            }
            object.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

/// What every refusal answers: a problem details document (RFC 9457) as
/// [`crate::problem::Problem::body`] writes it, with a stable `code`.
pub(crate) fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "RFC 9457 problem details; `code` is stable",
        "properties": {
            "type": { "type": "string" }, "title": { "type": "string" },
            "status": { "type": "integer" }, "code": { "type": "string" },
            "detail": { "type": "string" }, "field": { "type": "string" }
        },
        "required": ["type", "title", "status", "code"],
        "additionalProperties": false
    })
}

fn problem_content() -> Value {
    json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } })
}

/// A refusal that says when to come back (`Retry-After`).
fn waiting(description: &str, retry_after: &str) -> Value {
    json!({
        "description": description,
        "headers": { "Retry-After": { "description": retry_after, "schema": { "type": "integer", "minimum": 1 } } },
        "content": problem_content()
    })
}

/// What the shared parts of an operation's description depend on.
#[derive(Clone, Copy)]
struct Facts {
    changes: bool,
    rate_limited: bool,
    lookups_by_citizen_id: bool,
    has_body: bool,
    signed_in: bool,
}

/// The parts every operation shares: the `Idempotency-Key` header of a change, the 429s of
/// limited operations, the 503 of the server's limits, the 408 of a body that does not
/// arrive, the problem of every refusal, and the security requirement.
fn shared_parts(entry: &mut Value, facts: Facts) {
    if facts.changes
        && let Some(parameters) = entry["parameters"].as_array_mut()
    {
        parameters.push(json!({
            "name": "Idempotency-Key", "in": "header", "required": true,
            "description": "Client-chosen key, 8-128 characters: a retry with the same key and body returns the first answer",
            "schema": { "type": "string", "minLength": 8, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" }
        }));
    }
    entry["responses"]["default"] =
        json!({ "description": "Problem", "content": problem_content() });
    if facts.rate_limited {
        entry["responses"]["429"] = waiting(
            "Too many attempts from this client address (`code` too_many_requests; nothing was checked), or this login from this address waits after repeated failures (`code` sign_in_locked; answered alike whether or not the login exists)",
            "Seconds until attempts are accepted again",
        );
    }
    if facts.lookups_by_citizen_id {
        entry["responses"]["429"] = waiting(
            "Too many look-ups by ID number by this actor (`code` too_many_lookups; audited); a look-up by card or token is not limited",
            "Seconds until the actor's look-ups are accepted again",
        );
    }
    // Issue 13, findings 2 and 10: the server's limits answer every operation alike.
    entry["responses"]["503"] = waiting(
        "The server is at one of its limits and did nothing (`code` busy: open connections, large bodies being received, batches in progress), or the request took longer than the server allows (`code` server_timeout; a change may have been made: send it again with the same Idempotency-Key)",
        "Seconds after which sending it again may succeed",
    );
    if facts.has_body {
        entry["responses"]["408"] = json!({
            "description": "The request body did not arrive within the body timeout (`code` request_timeout); the connection is closed",
            "content": problem_content()
        });
    }
    entry["security"] = if facts.signed_in {
        json!([{ "bearer": [] }])
    } else {
        json!([])
    };
}

/// The names of a path's `{segments}`, in order.
pub(crate) fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// The pattern of a path segment whose format the use case checks before it looks anything
/// up (an id segment has none: any text finds a record or does not).
fn segment_pattern(name: &str) -> Option<&'static str> {
    match name {
        "region" => Some(shebao_domain::ids::REGION_CODE_PATTERN),
        "bill" => Some(shebao_app::medical::BILL_NUMBER_PATTERN),
        _ => None,
    }
}

/// The description of `O` (its schemas go to the generators).
pub(crate) fn operation<O: Operation>(generators: &mut Generators) -> Value {
    let spec = O::SPEC;
    let mut parameters: Vec<Value> = segments(spec.path)
        .zip(O::Path::schemas(&mut generators.requests))
        .map(|(name, schema)| {
            let schema = match segment_pattern(name) {
                Some(pattern) => json!({ "type": "string", "pattern": pattern }),
                None => schema,
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    parameters.extend(O::Query::parameters(&mut generators.requests));
    let mut entry = json!({
        "operationId": spec.id,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": parameters,
        "responses": {},
        "x-error-codes": spec.errors,
    });
    for (status, media, schema) in O::Answer::answers(&mut generators.answers) {
        let description = if status == 202 {
            "Accepted: the change waits for a second person of the caller's role and organisation, and nothing has moved yet"
        } else {
            "OK"
        };
        entry["responses"][status.to_string()] =
            json!({ "description": description, "content": { media: { "schema": schema } } });
    }
    let body = O::Body::document(&mut generators.requests);
    if let Some((media, schema)) = &body {
        entry["requestBody"] =
            json!({ "required": true, "content": { *media: { "schema": schema } } });
    }
    shared_parts(
        &mut entry,
        Facts {
            changes: spec.changes,
            rate_limited: spec.rate_limited,
            lookups_by_citizen_id: spec.lookups_by_citizen_id,
            has_body: body.is_some(),
            signed_in: O::ACCESS.signed_in(),
        },
    );
    entry
}

/// The document's `info`, with the problem codes every operation may answer.
pub(crate) fn info() -> Value {
    json!({
        "title": "Shebao social security card API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Cards, persons, bank activation and the card's financial account. Errors are application/problem+json with a stable `code`: any operation may answer the codes in `x-common-error-codes`, and each lists its own in `x-error-codes`.",
        "x-common-error-codes": COMMON_ERRORS,
    })
}

/// The name of the schema a description refers to (`$ref`), or its media type.
pub(crate) fn schema_label(content: &Value) -> Option<String> {
    let (media, body) = content.as_object()?.iter().next()?;
    Some(match body["schema"]["$ref"].as_str() {
        Some(reference) => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
        None => media.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object that lists `properties` closes them and requires only listed fields; an
    /// object without `properties` is free-form, allowed only at the places in `FREE`.
    fn assert_closed(schema: &Value, at: &str) {
        const FREE: [&str; 3] = ["OpenApi.info", "OpenApi.paths", "OpenApi.components"];
        if let Some(properties) = schema["properties"].as_object() {
            assert_eq!(schema["additionalProperties"], json!(false), "{at} is open");
            for name in super::super::kinds::strings(&schema["required"]) {
                assert!(
                    properties.contains_key(name),
                    "{at} requires unknown {name}"
                );
            }
            for (name, property) in properties {
                assert_closed(property, &format!("{at}.{name}"));
            }
        } else if schema["type"] == "object" || schema["type"][0] == "object" {
            assert!(FREE.contains(&at), "{at} is a free-form object");
        }
        if let Some(items) = schema.get("items") {
            assert_closed(items, &format!("{at}[]"));
        }
        // A choice is typed when each of its branches is.
        for (i, branch) in schema["oneOf"].as_array().into_iter().flatten().enumerate() {
            assert_closed(branch, &format!("{at}|{i}"));
        }
        assert!(
            schema.get("type").is_some()
                || schema.get("$ref").is_some()
                || schema.get("enum").is_some()
                || schema.get("const").is_some()
                || schema.get("oneOf").is_some(),
            "{at} has no type"
        );
    }

    #[test]
    fn every_schema_is_derived_once_and_closed() {
        let mut generators = Generators::new();
        for entry in super::super::all() {
            (entry.describe)(&mut generators);
        }
        let derived = generators.definitions();
        assert!(derived.is_ok(), "{derived:?}");
        let document = document();
        let schemas = document["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert!(schemas.contains_key("Problem"));
        for (name, schema) in &schemas {
            assert_closed(schema, name);
        }
    }

    #[test]
    fn every_integer_of_a_width_carries_its_bounds() {
        fn walk(value: &Value, at: &str, found: &mut usize) {
            match value {
                Value::Object(map) => {
                    if map
                        .get("format")
                        .and_then(Value::as_str)
                        .is_some_and(|format| {
                            format.starts_with("int") || format.starts_with("uint")
                        })
                    {
                        *found += 1;
                        assert!(
                            map.get("minimum").is_some_and(|m| m.is_i64() || m.is_u64()),
                            "{at}"
                        );
                        assert!(
                            map.get("maximum").is_some_and(|m| m.is_i64() || m.is_u64()),
                            "{at}"
                        );
                    }
                    for (key, inner) in map {
                        walk(inner, &format!("{at}.{key}"), found);
                    }
                }
                Value::Array(items) => items.iter().for_each(|inner| walk(inner, at, found)),
                _ => {}
            }
        }
        let mut found = 0;
        walk(&document(), "", &mut found);
        assert!(found > 20, "only {found} integers with a width");
        let quantity =
            &document()["components"]["schemas"]["BillLineRequest"]["properties"]["quantity"];
        assert_eq!(quantity["maximum"], u32::MAX);
    }

    #[test]
    fn the_document_lists_every_operation_once() {
        let document = document();
        let mut ids: Vec<&str> = super::super::all().map(|entry| entry.spec.id).collect();
        for entry in super::super::all() {
            let described = &document["paths"][entry.spec.path]
                [entry.spec.method.as_str().to_ascii_lowercase()];
            assert_eq!(described["operationId"], entry.spec.id);
        }
        assert_eq!(document["openapi"], "3.1.0");
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "an operation id is used twice");
        let page = super::super::docs::page();
        assert!(
            super::super::all().all(|entry| page.contains(&format!("id=\"{}\"", entry.spec.id)))
        );
    }
}
