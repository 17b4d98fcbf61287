-- The editors' desk: accounts, their sessions, and an audit log of what
-- they change.

-- An account. Emails are compared without regard to case, so that
-- Alice@Example.com and alice@example.com are one account. The password is
-- stored only as an argon2id hash in PHC form, whose parameters travel with
-- it so they can be raised later without invalidating old hashes. Accounts
-- are disabled, never deleted, so the audit log keeps its names.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL COLLATE NOCASE UNIQUE
                  CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%' AND instr(email, ' ') = 0),
    name          TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'editor', 'admin')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;

-- A signed-in browser. The cookie holds a random 32-byte token; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.
-- last_seen_at drives the idle timeout and expires_at the absolute one;
-- signing out, disabling the account or changing its password deletes the
-- rows, which ends the sessions at once.
CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    CHECK (last_seen_at >= created_at AND expires_at > created_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Who did what to which record, and when. user_id is NULL for the command
-- line (and would be for a deleted account); record_id is NULL when an
-- action concerns no single record.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    record_type TEXT NOT NULL DEFAULT '' CHECK (length(record_type) <= 64),
    record_id   INTEGER,
    detail      TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 2000)
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_record ON audit_log (record_type, record_id);
CREATE INDEX audit_log_by_user ON audit_log (user_id);

-- Who last moderated a reader review (moderated_at came with 0002).
ALTER TABLE reader_reviews ADD COLUMN moderated_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
