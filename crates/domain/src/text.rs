//! What free text (names, memos, reasons) may hold, as JSON Schema patterns for the API
//! document. The parsers trim white space and refuse control characters; these patterns say
//! a little less than the parsers accept (no control character anywhere, not even white
//! space that would be trimmed), so that a value a client checks against them is accepted.

/// Text with no control character (Unicode `Cc`: U+0000-U+001F, U+007F-U+009F).
pub const TEXT_PATTERN: &str = r"^[^\x00-\x1F\x7F-\x9F]*$";

/// Text with no control character that neither starts nor ends with white space, so that
/// its length is the length the parser counts after trimming.
pub const TRIMMED_TEXT_PATTERN: &str =
    r"^([^\s\x00-\x1F\x7F-\x9F]([^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F])?)?$";
