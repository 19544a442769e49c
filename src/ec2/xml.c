/*
 * The xmlTextWriter wrapper and the JSON-to-EC2 field renderer.  libxml2
 * escapes text, so nothing a client stored (a tag value, a name) can
 * break the document.  Writer errors are ignored here: they only happen
 * out of memory, and xml_end then returns NULL.
 */
#include <stdio.h>
#include <string.h>

#include "xml.h"

bool
xml_begin(struct xml_out *o, const char *root, const char *ns,
    const char *request_id)
{
	memset(o, 0, sizeof(*o));
	if ((o->buf = xmlBufferCreate()) == NULL ||
	    (o->w = xmlNewTextWriterMemory(o->buf, 0)) == NULL) {
		xml_free(o);
		return false;
	}
	xmlTextWriterStartDocument(o->w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(o->w, BAD_CAST root);
	if (ns != NULL)
		xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns", BAD_CAST ns);
	if (request_id != NULL)
		xml_text(o, "requestId", request_id);
	return true;
}

const char *
xml_end(struct xml_out *o, size_t *len)
{
	if (o->w == NULL)
		return NULL;
	xmlTextWriterEndDocument(o->w);
	xmlFreeTextWriter(o->w);
	o->w = NULL;
	*len = (size_t)xmlBufferLength(o->buf);
	return (const char *)xmlBufferContent(o->buf);
}

void
xml_free(struct xml_out *o)
{
	if (o->w != NULL)
		xmlFreeTextWriter(o->w);
	if (o->buf != NULL)
		xmlBufferFree(o->buf);
	memset(o, 0, sizeof(*o));
}

void
xml_text(struct xml_out *o, const char *name, const char *text)
{
	xmlTextWriterWriteElement(o->w, BAD_CAST name,
	    BAD_CAST(text != NULL ? text : ""));
}

void
xml_bool(struct xml_out *o, const char *name, bool v)
{
	xml_text(o, name, v ? "true" : "false");
}

void
xml_open(struct xml_out *o, const char *name)
{
	xmlTextWriterStartElement(o->w, BAD_CAST name);
}

void
xml_close(struct xml_out *o)
{
	xmlTextWriterEndElement(o->w);
}

static void
scalar(struct xml_out *o, const char *name, const json_t *v)
{
	char	num[64];

	if (json_is_string(v))
		xml_text(o, name, json_string_value(v));
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		xml_text(o, name, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		xml_text(o, name, num);
	} else if (json_is_boolean(v))
		xml_bool(o, name, json_is_true(v));
}

void
xml_list(struct xml_out *o, const char *name, const json_t *array,
    const struct xml_field *fields)
{
	size_t	 i;
	json_t	*item;

	xml_open(o, name);
	json_array_foreach(array, i, item) {
		xml_open(o, "item");
		if (fields != NULL)
			xml_fields(o, item, fields);
		else
			scalar(o, "value", item);
		xml_close(o);
	}
	xml_close(o);
}

void
xml_fields(struct xml_out *o, const json_t *obj,
    const struct xml_field *f)
{
	const char	*key;
	json_t		*v, *item;
	size_t		 i;

	for (; f->xml != NULL; f++) {
		if (f->kind == XF_CONST) {
			xml_text(o, f->xml, f->json);
			continue;
		}
		if (f->kind == XF_NEST) {
			xml_open(o, f->xml);
			xml_fields(o, obj, f->sub);
			xml_close(o);
			continue;
		}
		v = json_object_get(obj, f->json);
		if (v == NULL || json_is_null(v))
			continue;
		switch (f->kind) {
		case XF_STRING:
		case XF_INT:
		case XF_BOOL:
			scalar(o, f->xml, v);
			break;
		case XF_OBJECT:
			xml_open(o, f->xml);
			xml_fields(o, v, f->sub);
			xml_close(o);
			break;
		case XF_LIST:
			xml_list(o, f->xml, v, f->sub);
			break;
		case XF_STRINGS:
			xml_open(o, f->xml);
			json_array_foreach(v, i, item)
				scalar(o, "item", item);
			xml_close(o);
			break;
		case XF_TAGS:
			xml_open(o, f->xml);
			json_object_foreach(v, key, item) {
				xml_open(o, "item");
				xml_text(o, "key", key);
				scalar(o, "value", item);
				xml_close(o);
			}
			xml_close(o);
			break;
		case XF_CONST:
		case XF_NEST:
			break;
		}
	}
}
