//! Declarations: an employer's wages for a month, as a file or as JSON rows, and the file of
//! the rows refused.

use shebao_app::insurance::declarations::{DeclarationRows, DeclarationView};

use crate::api::FILE_BODY_LIMIT_BYTES;
use crate::api::kinds::{Csv, CsvText, Json, NoBody, NoQuery};
use crate::api::{In, operations};

operations! {
    tag: "insurance";

    /// Import a declaration file, CSV or XLSX (columns citizen_id, month, wage in yuan); idempotent
    /// by file content
    ImportDeclaration: post "import_declaration" "/api/v1/employers/{employer}/declarations"
        .not_changing()
        .body_limit(FILE_BODY_LIMIT_BYTES)
        .errors(&["file_too_complex", "conflict"]) {
        access: Needs(Declare),
        types: (String,), NoQuery, CsvText => Json<DeclarationView>,
        call: |app, actor, In { path: (employer,), body, .. }| {
            Json(app.import_declaration_file(actor, &employer, &body, &mut |_, _| {})?)
        },
    }

    /// Declare wages as JSON rows; idempotent by content
    DeclareRows: post "declare_rows" "/api/v1/employers/{employer}/declaration-rows"
        .not_changing()
        .body_limit(FILE_BODY_LIMIT_BYTES)
        .errors(&["conflict"]) {
        Needs(Declare): declare_rows(employer, body: DeclarationRows) -> Json<DeclarationView>
    }

    /// A declaration's rejected rows as CSV
    DeclarationErrors: get "declaration_errors" "/api/v1/declarations/{declaration}/errors.csv" {
        access: Needs(Declare),
        types: (String,), NoQuery, NoBody => Csv,
        call: |app, actor, In { path: (declaration,), .. }| {
            Csv(app.declaration_errors(actor, declaration.trim_end_matches(".csv"))?)
        },
    }
}
