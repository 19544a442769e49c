/*
 * JSON text that PostgreSQL built, made compact so that it can go to
 * the client as it is.  A json column (json_build_object, json_agg) is
 * valid JSON spaced for reading: {"id" : "i-…", "tags" : {"k": "v"}}.
 * Parsing it with jansson only to write it out again with JSON_COMPACT
 * cost a quarter of the process's time on GET /api/v1/instances/{id};
 * dropping the spaces between tokens is all that writing did.
 */
#ifndef CLOUDSIM_JSON_TEXT_H
#define CLOUDSIM_JSON_TEXT_H

#include <stddef.h>

/*
 * Remove, in place, every space, tab, carriage return and newline that
 * is outside a string; returns the new length.  Strings, numbers and
 * the order of members are kept byte for byte, so the result is the
 * value jansson's JSON_COMPACT dump writes.  Not a validator: only for
 * text PostgreSQL has checked (a json or jsonb value).
 */
size_t	json_text_compact(char *text);

#endif
