/*
 * json_text: compact text equals jansson's JSON_COMPACT dump of the same
 * value, for PostgreSQL's spacing, strings holding spaces, quotes,
 * backslashes and escapes, nesting, and empty containers; nothing but
 * whitespace between tokens is ever removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json_text.h"
#include "tap.h"

/* text compacted is exactly what jansson writes of it, compact. */
static void
same_as_jansson(const char *text, const char *what)
{
	char	*mine = strdup(text), *theirs;
	json_t	*v = json_loads(text, JSON_DECODE_ANY, NULL);
	size_t	 n;

	theirs = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) :
	    NULL;
	n = json_text_compact(mine);
	if (!ok(theirs != NULL && strcmp(mine, theirs) == 0 &&
	    n == strlen(mine), what))
		printf("#   got %s, jansson wrote %s\n", mine,
		    theirs != NULL ? theirs : "(nothing)");
	free(theirs);
	free(mine);
	json_decref(v);
}

int
main(void)
{
	char	buf[64];

	same_as_jansson("{\"id\" : \"i-0123\", \"n\" : 16, \"ok\" : true, "
	    "\"none\" : null}", "json_build_object's spacing goes");
	same_as_jansson("[{\"a\" : 1}, \n {\"a\" : 2}]",
	    "json_agg's comma, newline and space between elements go");
	same_as_jansson("{\"tags\" : {\"Name\": \"web server\", \"k\": \"  \"}}",
	    "spaces inside strings stay");
	same_as_jansson("{\"q\" : \"say \\\"hi , there\\\" : x\"}",
	    "escaped quotes do not end a string");
	same_as_jansson("{\"p\" : \"C:\\\\dir \\\\\", \"after\" : 1}",
	    "an escaped backslash before the closing quote ends it");
	same_as_jansson("{\"t\" : \"a\\tb\\nc\"}", "escapes stay as written");
	same_as_jansson("{\"u\" : \"caf\xc3\xa9 \xe2\x82\xac\"}",
	    "UTF-8 stays byte for byte");
	same_as_jansson("{\"e\" : {}, \"l\" : [], \"x\" : [ 1 , 2.5 , -3 ]}",
	    "empty containers and numbers");
	same_as_jansson("\t{\r\n\"a\"\t:\r\n[ ]\n}\n", "tabs, returns and "
	    "newlines around tokens go");

	strcpy(buf, "{\"a\" : \"b\"}");
	is_int((long long)json_text_compact(buf), 9, "returns the new length");
	strcpy(buf, "");
	is_int((long long)json_text_compact(buf), 0, "empty text stays empty");
	return tap_done();
}
