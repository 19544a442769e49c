/*
 * Compact JSON text (json_text.h): one pass that knows only where a
 * string starts and ends.
 */
#include <stdbool.h>

#include "json_text.h"

size_t
json_text_compact(char *text)
{
	char	*in, *out;
	bool	 string = false, escaped = false;

	for (in = out = text; *in != '\0'; in++) {
		if (string) {
			/* Inside a string every byte stays; a backslash
			 * makes the next one (a quote, too) part of it. */
			if (escaped)
				escaped = false;
			else if (*in == '\\')
				escaped = true;
			else if (*in == '"')
				string = false;
		} else if (*in == ' ' || *in == '\t' || *in == '\n' ||
		    *in == '\r') {
			continue;
		} else if (*in == '"') {
			string = true;
		}
		*out++ = *in;
	}
	*out = '\0';
	return (size_t)(out - text);
}
