#include "mujson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

json_t *
mujson_str(const char *s)
{
	return s ? json_string_nocheck(s) : json_null();
}

json_t *
mujson_strlist(const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string_nocheck(l->v[i]));
	return a;
}

void
mujson_put_string(struct buf *out, const char *s, size_t len, int in_script)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_addc(out, '"');
	size_t run = 0; /* start of the bytes not yet written */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc;
		char u[7];
		if (c >= 0x20 && c != '"' && c != '\\' &&
		    !(in_script && (c == '<' || c == '>' || c == '&')))
			continue;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			u[6] = '\0';
			esc = u;
		}
		buf_add(out, s + run, i - run);
		buf_adds(out, esc);
		run = i + 1;
	}
	buf_add(out, s + run, len - run);
	buf_addc(out, '"');
}

enum mu_type
mujson_type(void *ud, const void *v)
{
	(void)ud;
	switch (json_typeof((const json_t *)v)) {
	case JSON_OBJECT: return MU_MAP;
	case JSON_ARRAY: return MU_LIST;
	case JSON_STRING: return MU_STRING;
	case JSON_INTEGER:
	case JSON_REAL: return MU_NUMBER;
	case JSON_TRUE: return MU_TRUE;
	case JSON_FALSE: return MU_FALSE;
	default: return MU_NULL;
	}
}

static const void *
S_get(void *ud, const void *map, const char *key, size_t len)
{
	(void)ud;
	return json_object_getn((const json_t *)map, key, len);
}

static size_t
S_count(void *ud, const void *list)
{
	(void)ud;
	return json_array_size((const json_t *)list);
}

static const void *
S_item(void *ud, const void *list, size_t i)
{
	(void)ud;
	return json_array_get((const json_t *)list, i);
}

/* The shortest %g form that reads back as d. */
static void
S_real(struct buf *out, double d)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(out, tmp);
}

static void
S_text(void *ud, const void *v, struct buf *out)
{
	(void)ud;
	const json_t *j = v;
	switch (json_typeof(j)) {
	case JSON_STRING: buf_add(out, json_string_value(j), json_string_length(j)); break;
	case JSON_INTEGER: buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(j)); break;
	case JSON_REAL: S_real(out, json_real_value(j)); break;
	case JSON_TRUE: buf_adds(out, "true"); break;
	case JSON_FALSE: buf_adds(out, "false"); break;
	default: break;
	}
}

static const char *
S_string(void *ud, const void *v, size_t *len)
{
	(void)ud;
	if (!json_is_string((const json_t *)v))
		return NULL;
	*len = json_string_length((const json_t *)v);
	return json_string_value((const json_t *)v);
}

const struct mu_data mujson_data = {
    .type = mujson_type,
    .get = S_get,
    .count = S_count,
    .item = S_item,
    .text = S_text,
    .string = S_string,
    .call = NULL,
    .ud = NULL,
};

uint64_t
mujson_hash(const json_t *v, uint64_t h)
{
	if (!h)
		h = UTIL_FNV_START;
	int type = v ? (int)json_typeof(v) : 0xFF;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: {
		const char *key;
		json_t *x;
		h = util_mix_u64(h, (uint64_t)type << 32 | json_object_size(v));
		json_object_foreach ((json_t *)v, key, x) {
			h = util_mix(h, key, strlen(key));
			h = mujson_hash(x, h);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i, n = json_array_size(v);
		h = util_mix_u64(h, (uint64_t)type << 32 | n);
		json_t *x;
		json_array_foreach (v, i, x) {
			h = mujson_hash(x, h);
		}
		break;
	}
	case JSON_STRING:
		/* util_mix ends with the length, which tells strings apart */
		h = util_mix(util_mix_u64(h, (uint64_t)type), json_string_value(v),
		             json_string_length(v));
		break;
	case JSON_INTEGER:
		h = util_mix_u64(util_mix_u64(h, (uint64_t)type), (uint64_t)json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		h = util_mix_u64(util_mix_u64(h, (uint64_t)type), bits);
		break;
	}
	default: h = util_mix_u64(h, (uint64_t)type); break;
	}
	return h;
}

/* ---------------------------------------------------------------------
 * Packed values
 *
 * A tag byte, then: nothing (n, t, f); 8 bytes (i, r); a 4-byte length
 * and the bytes (s); a 4-byte count and the items (a), or the pairs, each
 * a 4-byte key length, the key and the value (o). Numbers are in the
 * machine's order: the bytes stay in the cache beside the build.
 * ------------------------------------------------------------------- */

static void
S_pack_u32(struct buf *out, size_t n)
{
	uint32_t v = (uint32_t)n;
	buf_add(out, &v, sizeof v);
}

void
mujson_pack(const json_t *v, struct buf *out)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: {
		buf_addc(out, 'o');
		S_pack_u32(out, json_object_size(v));
		const char *key;
		json_t *x;
		json_object_foreach ((json_t *)v, key, x) {
			size_t len = strlen(key);
			S_pack_u32(out, len);
			buf_add(out, key, len);
			mujson_pack(x, out);
		}
		break;
	}
	case JSON_ARRAY: {
		buf_addc(out, 'a');
		S_pack_u32(out, json_array_size(v));
		size_t i;
		json_t *x;
		json_array_foreach (v, i, x) {
			mujson_pack(x, out);
		}
		break;
	}
	case JSON_STRING:
		buf_addc(out, 's');
		S_pack_u32(out, json_string_length(v));
		buf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER: {
		json_int_t i = json_integer_value(v);
		buf_addc(out, 'i');
		buf_add(out, &i, sizeof i);
		break;
	}
	case JSON_REAL: {
		double d = json_real_value(v);
		buf_addc(out, 'r');
		buf_add(out, &d, sizeof d);
		break;
	}
	case JSON_TRUE: buf_addc(out, 't'); break;
	case JSON_FALSE: buf_addc(out, 'f'); break;
	default: buf_addc(out, 'n'); break;
	}
}

static int
S_unpack_u32(const char **p, const char *end, size_t *n)
{
	uint32_t v;
	if ((size_t)(end - *p) < sizeof v)
		return -1;
	memcpy(&v, *p, sizeof v);
	*p += sizeof v;
	*n = v;
	return 0;
}

static json_t *
S_unpack(const char **p, const char *end, int depth)
{
	if (*p >= end || depth > 64)
		return NULL;
	char tag = *(*p)++;
	size_t n;
	switch (tag) {
	case 'n': return json_null();
	case 't': return json_true();
	case 'f': return json_false();
	case 'i':
	case 'r': {
		if ((size_t)(end - *p) < 8)
			return NULL;
		json_t *v;
		if (tag == 'i') {
			json_int_t i;
			memcpy(&i, *p, sizeof i);
			v = json_integer(i);
		} else {
			double d;
			memcpy(&d, *p, sizeof d);
			v = json_real(d);
		}
		*p += 8;
		return v;
	}
	case 's':
		if (S_unpack_u32(p, end, &n) < 0 || n > (size_t)(end - *p))
			return NULL;
		*p += n;
		return json_stringn_nocheck(*p - n, n);
	case 'a': {
		if (S_unpack_u32(p, end, &n) < 0 || n > (size_t)(end - *p))
			return NULL;
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *x = S_unpack(p, end, depth + 1);
			if (!x) {
				json_decref(a);
				return NULL;
			}
			json_array_append_new(a, x);
		}
		return a;
	}
	case 'o': {
		if (S_unpack_u32(p, end, &n) < 0 || n > (size_t)(end - *p))
			return NULL;
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++) {
			size_t klen;
			if (S_unpack_u32(p, end, &klen) < 0 || klen > (size_t)(end - *p)) {
				json_decref(o);
				return NULL;
			}
			const char *key = *p;
			*p += klen;
			json_t *x = S_unpack(p, end, depth + 1);
			if (!x || json_object_setn_new_nocheck(o, key, klen, x) < 0) {
				json_decref(o);
				return NULL;
			}
		}
		return o;
	}
	default: return NULL;
	}
}

json_t *
mujson_unpack(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	json_t *v = S_unpack(&p, end, 0);
	if (v && p != end) {
		json_decref(v);
		v = NULL;
	}
	return v;
}