//! Declarations: an employer's wages for a month, as a file or as JSON rows, and the file of
//! the rows refused.

use shebao_app::insurance::declarations::{DeclarationRows, DeclarationView};
use shebao_domain::access::Operation as Permission;

use super::{DECLARATION_BODY_LIMIT_BYTES, operation};
use crate::api::kinds::{Csv, CsvText, JsonBody, NoBody, NoQuery};
use crate::api::{Access, Spec};

operation! {
    /// Import a declaration file.
    ImportDeclaration: Spec::post(
        "import_declaration",
        "/api/v1/employers/{employer}/declarations",
        "insurance",
        "Import a declaration file, CSV or XLSX (columns citizen_id, month, wage in yuan); idempotent by file content",
    )
    .not_changing()
    .body_limit(DECLARATION_BODY_LIMIT_BYTES)
    .errors(&["file_too_complex", "conflict"]), Access::Needs(Permission::Declare);
    path (String,), query NoQuery, body CsvText => Json<DeclarationView>;
    signed |app, actor, input| {
        app.import_declaration_file(&actor, &input.path.0, &input.body, &mut |_, _| {})
    }
}

operation! {
    /// Declare wages as JSON rows.
    DeclareRows: Spec::post(
        "declare_rows",
        "/api/v1/employers/{employer}/declaration-rows",
        "insurance",
        "Declare wages as JSON rows; idempotent by content",
    )
    .not_changing()
    .body_limit(DECLARATION_BODY_LIMIT_BYTES)
    .errors(&["conflict"]), Access::Needs(Permission::Declare);
    path (String,), query NoQuery, body JsonBody<DeclarationRows> => Json<DeclarationView>;
    signed |app, actor, input| app.declare_rows(&actor, &input.path.0, input.body)
}

operation! {
    /// A declaration's rejected rows.
    DeclarationErrors: Spec::get(
        "declaration_errors",
        "/api/v1/declarations/{declaration}/errors.csv",
        "insurance",
        "A declaration's rejected rows as CSV",
    ), Access::Needs(Permission::Declare);
    path (String,), query NoQuery, body NoBody => Csv;
    |shared, input| {
        let declaration = input.path.0.trim_end_matches(".csv");
        Ok(Csv(shared.app.declaration_errors(input.actor()?, declaration)?))
    }
}
