/*
 * refusal.sql — included (\ir) by the pgTAP files that check how a
 * function refuses.  pg_temp.refusal(statement) runs the statement and
 * answers its first column as text, or, when it raises, the fields of
 * the error that src/core/db.c reads: SQLSTATE, HINT (the API's error
 * code), DETAIL (the HTTP status), then the message.  throws_ok() sees
 * only the SQLSTATE and the message.
 */
CREATE FUNCTION pg_temp.refusal(statement text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text; st text; msg text; hint text; detail text;
BEGIN
    EXECUTE statement INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
        hint = PG_EXCEPTION_HINT, detail = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || hint || ' ' || detail || ' ' || msg;
END
$$;
