/*
 * EC2 XML responses, written with libxml2's xmlTextWriter into memory.
 * Resources come from the services as JSON; a const table of fields per
 * shape says how each JSON member becomes an EC2 element, so a shape is
 * declared once and nested shapes reuse each other:
 *
 *	static const struct xml_field vpc_fields[] = {
 *		{ "vpcId", "id", XF_STRING },
 *		{ "isDefault", "is_default", XF_BOOL },
 *		{ "tagSet", "tags", XF_TAGS },
 *		{ NULL }
 *	};
 *
 * Absent or null JSON members produce no element, as EC2 omits them.
 */
#ifndef CLOUDSIM_EC2_XML_H
#define CLOUDSIM_EC2_XML_H

#include <stdbool.h>

#include <jansson.h>
#include <libxml/xmlwriter.h>

enum xml_kind {
	XF_STRING,	/* string or number as text */
	XF_BOOL,	/* true/false */
	XF_INT,		/* integer */
	XF_OBJECT,	/* nested element with sub fields */
	XF_LIST,	/* <name><item>…</item>…</name>, items by sub */
	XF_STRINGS,	/* <name><item>text</item>…</name> */
	XF_TAGS,	/* {"k":"v"} → <name><item><key/><value/></item></name> */
	XF_CONST,	/* fixed text in json (the member name is ignored) */
	XF_NEST		/* <xml> sub fields of the same object </xml> */
};

struct xml_field {
	const char		*xml;		/* element name */
	const char		*json;		/* member name (XF_CONST: text) */
	enum xml_kind		 kind;
	const struct xml_field	*sub;		/* XF_OBJECT, XF_LIST */
};

struct xml_out {
	xmlBufferPtr		 buf;
	xmlTextWriterPtr	 w;
};

/*
 * Start a response document <root xmlns=ns><requestId>id</requestId>.
 * False only when out of memory.  Finish with xml_end, which yields the
 * text (valid until xml_free).
 */
bool		 xml_begin(struct xml_out *, const char *root, const char *ns,
		    const char *request_id);
const char	*xml_end(struct xml_out *, size_t *len);
void		 xml_free(struct xml_out *);

/* Elements inside the current one. */
void		 xml_text(struct xml_out *, const char *name, const char *text);
void		 xml_bool(struct xml_out *, const char *name, bool);
void		 xml_open(struct xml_out *, const char *name);
void		 xml_close(struct xml_out *);

/* Render obj's members by fields inside the current element. */
void		 xml_fields(struct xml_out *, const json_t *obj,
		    const struct xml_field *fields);
/* <name><item>fields of each element of array</item>…</name> */
void		 xml_list(struct xml_out *, const char *name, const json_t *array,
		    const struct xml_field *fields);

#endif
