-- A settlement's diagnosis (issue 6): an ICD-10 code and free text, medical data, so only
-- the application's AES-GCM ciphertext (context `settlement.diagnosis`) is stored. Null when
-- the institution sent none, and for every settlement made before this column existed.
ALTER TABLE settlements ADD COLUMN diagnosis_cipher TEXT;
