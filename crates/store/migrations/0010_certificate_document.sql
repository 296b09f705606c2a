-- The issued PDF of a certificate, sealed (issue 15): since certificates embed a subset of a
-- system font, the PDF cannot be rebuilt from its content once that font changes, so it is
-- kept. Certificates issued before have none and are rebuilt from their content as before.
ALTER TABLE certificates ADD COLUMN document_cipher TEXT;
