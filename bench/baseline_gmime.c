/*
 * baseline_gmime.c - the "bare GMime 3" peer for the corpus benchmarks.
 *
 *   baseline_gmime [--required-work [--yara DIR]] MBOX
 *
 * Prints one summary line, starting `impl=gmime`, in the format of
 * /work/shared/bench/README.md ("Summary line"), for comparison with
 * `<mbox>.truth` and the other baselines.
 *
 * --required-work adds, to the same walk, the work issue 2 itself asks of
 * `parse` beyond it and that emotriage does with the same libraries: the
 * SHA-256 of every decoded part (not only of the attachments) and gumbo's
 * parse of every HTML body outside attached messages (for its text and links;
 * no error list, where emotriage keeps up to 100).  It is a floor, not a
 * peer: no header decoding of our own, no Received or Authentication-Results
 * parsing, no findings, no output, no HTML inside attached messages, and no
 * SHA-256 of the whole message (which emotriage adds for the case ledger).
 * emotriage's bounds on HTML (8 MiB, nesting, tag count) are not applied:
 * the generated corpus stays far below them, so on it the time this adds to
 * the walk is time no GMime + gumbo implementation of the issue can avoid.
 *
 * --yara DIR (with --required-work) adds the scan of every attachment with the
 * YARA rules in DIR (*.yar; emotriage's own rules/ for `analyze`): the floor
 * of issue 10's analysis, which also extracts archives, parses Office files,
 * weighs the evidence and writes a report, none of which is counted here.
 *
 * This is deliberately the straightforward single-threaded program a GMime
 * user would write: GMime's own mbox mode splits the file, every part is
 * transfer-decoded by GMime, text bodies are converted to UTF-8 with GMime's
 * charset filter (iconv underneath), headers are decoded by GMime, and
 * attachments are hashed with OpenSSL's SHA-256.  Nothing is tuned beyond
 * reusing one output buffer.  Where GMime/iconv decodes wrongly (CP932-only
 * characters labelled ISO-2022-JP or Shift_JIS), its output is used as is:
 * `hdr_sum` is expected to differ from the truth.  Note that `fffd=0` here
 * is not a pass: GMimeFilterCharset skips the bytes iconv rejects (EILSEQ)
 * instead of writing U+FFFD, so those characters vanish or become wrong
 * kanji silently; in headers GMime writes '?' instead.
 *
 * Build: bench/build_baselines.sh OUTDIR
 */
#define _GNU_SOURCE  /* memmem */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <dirent.h>
#include <gumbo.h>
#include <yara.h>
#include <openssl/evp.h>

/* ---- 256-bit order-independent checksums ---------------------------------- */

/* A big-endian 256-bit accumulator; addition wraps modulo 2^256. */
typedef struct {
	unsigned char b[32];
} Sum256;

static void sum256_add (Sum256 *acc, const unsigned char h[32])
{
	unsigned carry = 0;
	for (int i = 31; i >= 0; i--) {
		carry += (unsigned) acc->b[i] + h[i];
		acc->b[i] = (unsigned char) carry;
		carry >>= 8;
	}
}

static void sum256_add_sha (Sum256 *acc, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest (data, len, md, &mdlen, EVP_sha256 (), NULL);
	sum256_add (acc, md);
}

/* Full 64 hex digits, or only the top 64 bits (16 digits) as for the
 * fname_sum and hdr_sum fields. */
static void sum256_print (const Sum256 *acc, int nbytes)
{
	for (int i = 0; i < nbytes; i++)
		printf ("%02x", acc->b[i]);
}

/* ---- the summary ----------------------------------------------------------- */

typedef struct {
	uint64_t msgs, leaves, atts, att_bytes, dec_bytes;
	uint64_t zips, zip_members, zip_enc, zip_bad;
	uint64_t urls, fffd, rfc822, inner_atts, hdr_fffd;
	Sum256 att_sum, fname_sum, inner_sum, hdr_sum;
} Summary;

/* ---- UTF-8 helpers ----------------------------------------------------------- */

/* Number of U+FFFD in UTF-8 text; each invalid sequence counts as one too,
 * as it would become U+FFFD when decoded (g_utf8_make_valid's rule). */
static uint64_t count_fffd (const char *s, size_t len)
{
	static const char repl[] = "\xEF\xBF\xBD";
	char *valid = NULL;
	uint64_t n = 0;

	if (!g_utf8_validate_len (s, len, NULL)) {
		valid = g_utf8_make_valid (s, (gssize) len);
		s = valid;
		len = strlen (valid);
	}
	for (const char *p = s, *end = s + len;
	     (p = memmem (p, (size_t) (end - p), repl, 3)) != NULL; p += 3)
		n++;
	g_free (valid);
	return n;
}

/* Append header text to out without ASCII whitespace (TAB LF FF CR SPACE)
 * and U+3000; the input must be valid UTF-8. */
static void append_stripped (GString *out, const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);
		if (c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ' || c == 0x3000)
			continue;
		g_string_append_unichar (out, c);
	}
}

/* GMime's decoded strings should be UTF-8 already; anything that is not
 * (lone surrogates, stray bytes) becomes U+FFFD as the README requires. */
static char *make_valid (const char *s)
{
	return g_utf8_make_valid (s ? s : "", -1);
}

/* ---- URL scanner ---------------------------------------------------------------
 * The regex https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+ run as findall: leftmost
 * matches, greedy, non-overlapping.  The class is ASCII only, so scanning the
 * UTF-8 bytes is the same as scanning the decoded characters. */

static int url_char (unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr ("._~:/?#@!$&*+,;=%-", c) != NULL);
}

static uint64_t count_urls (const char *s, size_t len)
{
	const char *end = s + len, *p = s;
	uint64_t n = 0;

	while ((p = memmem (p, (size_t) (end - p), "http", 4)) != NULL) {
		const char *q = p + 4;
		if (q < end && *q == 's')
			q++;
		if (end - q > 3 && memcmp (q, "://", 3) == 0 && url_char ((unsigned char) q[3])) {
			q += 3;
			while (q < end && url_char ((unsigned char) *q))
				q++;
			n++;
			p = q;  /* non-overlapping: resume after the match */
		} else {
			p++;
		}
	}
	return n;
}

/* ---- ZIP central directory ------------------------------------------------------ */

static unsigned rd16 (const unsigned char *p) { return p[0] | (unsigned) p[1] << 8; }
static uint32_t rd32 (const unsigned char *p) { return rd16 (p) | (uint32_t) rd16 (p + 2) << 16; }

/* Count central-directory entries and those with general-purpose flag bit 0
 * (traditional PKWARE / ZipCrypto).  Returns FALSE if the end record or an
 * entry is missing. */
static gboolean zip_central_directory (const unsigned char *d, size_t len, uint64_t *members, uint64_t *enc)
{
	size_t eocd, stop, pos;
	unsigned total, i;

	if (len < 22)
		return FALSE;
	/* the end record is in the last 22 + 65535 (max comment) bytes */
	stop = len > 22 + 0xFFFF ? len - 22 - 0xFFFF : 0;
	for (eocd = len - 22; ; eocd--) {
		if (memcmp (d + eocd, "PK\5\6", 4) == 0)
			break;
		if (eocd == stop)
			return FALSE;
	}
	total = rd16 (d + eocd + 10);
	pos = rd32 (d + eocd + 16);
	for (i = 0; i < total; i++) {
		if (pos > len || len - pos < 46 || memcmp (d + pos, "PK\1\2", 4) != 0)
			return FALSE;
		*enc += rd16 (d + pos + 8) & 1;
		pos += 46 + (size_t) rd16 (d + pos + 28) + rd16 (d + pos + 30) + rd16 (d + pos + 32);
	}
	*members += total;
	return TRUE;
}

/* ---- the walk ------------------------------------------------------------------- */

/* --required-work: hash every part, parse every HTML body. */
static gboolean required_work;
static Sum256 required_sum;  /* printed so that the work cannot be optimised away */
static uint64_t html_nodes;
static YR_RULES *yara_rules;  /* --yara */
static uint64_t yara_matches;

static int count_match (YR_SCAN_CONTEXT *context, int message, void *data, void *user)
{
	(void) context;
	(void) data;
	if (message == CALLBACK_MSG_RULE_MATCHING)
		(*(uint64_t *) user)++;
	return CALLBACK_CONTINUE;
}

static void on_compile_error (int level, const char *file, int line, const YR_RULE *rule,
			      const char *message, void *user)
{
	(void) rule;
	(void) user;
	if (level == YARA_ERROR_LEVEL_ERROR)
		fprintf (stderr, "%s:%d: %s\n", file ? file : "?", line, message);
}

static gboolean has_suffix (const char *name, const char *suffix)
{
	size_t n = strlen (name), k = strlen (suffix);
	return n > k && strcmp (name + n - k, suffix) == 0;
}

/* The .yar/.yara files directly in DIR, one namespace each (as emotriage loads them; it also
 * descends into subdirectories, which the project's rules/ does not have). NULL on any error
 * and when DIR holds no rule file. */
static YR_RULES *compile_rules (const char *dir)
{
	YR_COMPILER *compiler;
	YR_RULES *rules = NULL;
	DIR *d = opendir (dir);
	struct dirent *e;
	int files = 0, errors = 0;

	if (d == NULL || yr_initialize () != ERROR_SUCCESS || yr_compiler_create (&compiler) != ERROR_SUCCESS)
		return NULL;
	yr_compiler_set_callback (compiler, on_compile_error, NULL);
	while (errors == 0 && (e = readdir (d)) != NULL) {
		char path[4096];
		FILE *f;
		if (!has_suffix (e->d_name, ".yar") && !has_suffix (e->d_name, ".yara"))
			continue;
		snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
		if ((f = fopen (path, "r")) == NULL) {
			perror (path);
			errors++;
			break;
		}
		errors += yr_compiler_add_file (compiler, f, e->d_name, path);
		fclose (f);
		files++;
	}
	closedir (d);
	if (errors == 0 && files > 0)
		yr_compiler_get_rules (compiler, &rules);
	yr_compiler_destroy (compiler);
	return rules;
}

/* emotriage remembers YARA results by SHA-256: a copy of an attachment seen before is not
 * scanned again, nor here. */
static GHashTable *scanned;

static void scan_once (const unsigned char *data, size_t len, const unsigned char sha256[32])
{
	gint64 key;
	memcpy (&key, sha256, sizeof key);
	if (g_hash_table_contains (scanned, &key))
		return;
	g_hash_table_add (scanned, g_memdup2 (&key, sizeof key));
	yr_rules_scan_mem (yara_rules, data, len, SCAN_FLAGS_FAST_MODE, count_match, &yara_matches, 0);
}

static uint64_t count_nodes (const GumboNode *node)
{
	uint64_t n = 1;
	if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_DOCUMENT) {
		const GumboVector *children = node->type == GUMBO_NODE_ELEMENT ?
			&node->v.element.children : &node->v.document.children;
		for (unsigned i = 0; i < children->length; i++)
			n += count_nodes (children->data[i]);
	}
	return n;
}

/* gumbo allocates per node and per character run; a bump arena dropped after
 * each document (as emotriage does) takes malloc out of the floor. */
typedef struct Block { struct Block *next; size_t used, size; } Block;
#define BLOCK_HEADER ((sizeof (Block) + 15) & ~(size_t) 15)  /* keeps the data 16-aligned */
static Block *arena;

static void *arena_alloc (void *userdata, size_t size)
{
	(void) userdata;
	size = (size + 15) & ~(size_t) 15;
	if (arena == NULL || arena->size - arena->used < size) {
		size_t want = size > (1u << 20) ? size : (1u << 20);
		Block *b = malloc (BLOCK_HEADER + want);
		if (b == NULL)
			abort ();
		b->next = arena;
		b->used = 0;
		b->size = want;
		arena = b;
	}
	void *p = (char *) arena + BLOCK_HEADER + arena->used;
	arena->used += size;
	return p;
}

static void arena_free (void *userdata, void *ptr) { (void) userdata; (void) ptr; }

static void parse_html (const char *utf8, size_t len)
{
	GumboOptions options = kGumboDefaultOptions;
	options.allocator = arena_alloc;
	options.deallocator = arena_free;
	options.max_errors = 0;
	GumboOutput *out = gumbo_parse_with_options (&options, utf8, len);
	html_nodes += count_nodes (out->document);
	while (arena != NULL && arena->next != NULL) {  /* keep one block for the next document */
		Block *next = arena->next;
		free (arena);
		arena = next;
	}
	if (arena != NULL)
		arena->used = 0;
}

/* Transfer-decoded content of a leaf, written into buf (reused). */
static void decode_part (GMimePart *part, GByteArray *buf)
{
	GMimeDataWrapper *content = g_mime_part_get_content (part);
	GMimeStream *mem;

	g_byte_array_set_size (buf, 0);
	if (content == NULL)
		return;
	mem = g_mime_stream_mem_new_with_byte_array (buf);
	g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
	g_mime_data_wrapper_write_to_stream (content, mem);
	g_object_unref (mem);
}

/* A decoded text body -> URL and U+FFFD counts, via GMime's charset filter
 * (the conversion g_mime_text_part_get_text does, without decoding twice). */
static void scan_text (Summary *s, GMimeObject *obj, GByteArray *buf)
{
	const char *charset = g_mime_object_get_content_type_parameter (obj, "charset");
	GMimeFilter *filter = charset ? g_mime_filter_charset_new (charset, "UTF-8") : NULL;
	char *out = (char *) buf->data;
	size_t outlen = buf->len, outpre;

	if (filter != NULL)
		g_mime_filter_complete (filter, (char *) buf->data, buf->len, 0, &out, &outlen, &outpre);
	if (required_work && g_mime_content_type_is_type (g_mime_object_get_content_type (obj), "text", "html"))
		parse_html (out, outlen);
	s->urls += count_urls (out, outlen);
	s->fffd += count_fffd (out, outlen);
	if (filter != NULL)
		g_object_unref (filter);
}

static void leaf (Summary *s, GMimePart *part, gboolean inner, GByteArray *buf)
{
	GMimeObject *obj = GMIME_OBJECT (part);
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition (obj);
	const char *disp = cd ? g_mime_content_disposition_get_disposition (cd) : NULL;
	gboolean body;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	decode_part (part, buf);
	s->leaves++;
	s->dec_bytes += buf->len;

	/* mailparser's rule: text/plain or text/html with no disposition or
	 * "inline" is a body; every other leaf is an attachment */
	body = (g_mime_content_type_is_type (ct, "text", "plain") ||
		g_mime_content_type_is_type (ct, "text", "html")) &&
	       (disp == NULL || g_ascii_strcasecmp (disp, "inline") == 0);
	if (body) {
		if (required_work)  /* attachments are hashed below anyway */
			sum256_add_sha (&required_sum, buf->data, buf->len);
		if (!inner)
			scan_text (s, obj, buf);
		return;
	}
	EVP_Digest (buf->data, buf->len, md, &mdlen, EVP_sha256 (), NULL);
	if (yara_rules != NULL)
		scan_once (buf->data, buf->len, md);
	if (inner) {
		s->inner_atts++;
		sum256_add (&s->inner_sum, md);
		return;
	}
	s->atts++;
	s->att_bytes += buf->len;
	sum256_add (&s->att_sum, md);
	{
		/* Content-Disposition filename, else Content-Type name; decoded */
		char *fname = make_valid (g_mime_part_get_filename (part));
		sum256_add_sha (&s->fname_sum, fname, strlen (fname));
		g_free (fname);
	}
	if (buf->len >= 4 && memcmp (buf->data, "PK\3\4", 4) == 0) {
		s->zips++;
		if (!zip_central_directory (buf->data, buf->len, &s->zip_members, &s->zip_enc))
			s->zip_bad++;
	}
}

static void walk (Summary *s, GMimeObject *obj, gboolean inner, GByteArray *buf)
{
	if (GMIME_IS_MULTIPART (obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART (obj);
		int n = g_mime_multipart_get_count (mp);
		for (int i = 0; i < n; i++)
			walk (s, g_mime_multipart_get_part (mp, i), inner, buf);
	} else if (GMIME_IS_MESSAGE_PART (obj)) {
		GMimeMessage *msg = g_mime_message_part_get_message (GMIME_MESSAGE_PART (obj));
		GMimeContentDisposition *cd = g_mime_object_get_content_disposition (obj);

		s->rfc822++;
		/* mailparser returns an attached forwarded message whole, as one
		 * attachment; what is inside it is counted as "inner" */
		if (cd != NULL && g_mime_content_disposition_is_attachment (cd))
			inner = TRUE;
		if (msg != NULL && g_mime_message_get_mime_part (msg) != NULL)
			walk (s, g_mime_message_get_mime_part (msg), inner, buf);
	} else if (GMIME_IS_PART (obj)) {
		leaf (s, GMIME_PART (obj), inner, buf);
	}
}

/* Subject + 0x1F + first From display name, whitespace removed, hashed. */
static void headers (Summary *s, GMimeMessage *msg)
{
	InternetAddressList *from = g_mime_message_get_from (msg);
	const char *name = NULL;
	char *subject, *vname;
	GString *key = g_string_new (NULL);

	if (from != NULL && internet_address_list_length (from) > 0)
		name = internet_address_get_name (internet_address_list_get_address (from, 0));
	subject = make_valid (g_mime_message_get_subject (msg));
	vname = make_valid (name);
	append_stripped (key, subject);
	g_string_append_c (key, '\x1f');
	append_stripped (key, vname);
	s->hdr_fffd += count_fffd (key->str, key->len);
	sum256_add_sha (&s->hdr_sum, key->str, key->len);
	g_string_free (key, TRUE);
	g_free (subject);
	g_free (vname);
}

int main (int argc, char **argv)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GByteArray *buf;
	GError *err = NULL;
	Summary s;
	const char *path;

	required_work = argc >= 3 && strcmp (argv[1], "--required-work") == 0;
	if (required_work && argc == 5 && strcmp (argv[2], "--yara") == 0) {
		if ((yara_rules = compile_rules (argv[3])) == NULL) {
			fprintf (stderr, "%s: no YARA rules compiled\n", argv[3]);
			return 1;
		}
		scanned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	} else if (argc != 2 && !(required_work && argc == 3)) {
		fprintf (stderr, "usage: %s [--required-work [--yara DIR]] MBOX\n", argv[0]);
		return 2;
	}
	path = argv[argc - 1];
	g_mime_init ();
	memset (&s, 0, sizeof s);

	if (!(stream = g_mime_stream_fs_open (path, O_RDONLY, 0, &err))) {
		fprintf (stderr, "%s: %s\n", path, err->message);
		return 1;
	}
	parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_format (parser, GMIME_FORMAT_MBOX);
	buf = g_byte_array_new ();

	while (!g_mime_parser_eos (parser)) {
		if (!(msg = g_mime_parser_construct_message (parser, NULL)))
			break;
		s.msgs++;
		headers (&s, msg);
		if (g_mime_message_get_mime_part (msg) != NULL)
			walk (&s, g_mime_message_get_mime_part (msg), FALSE, buf);
		g_object_unref (msg);
	}

	printf ("impl=gmime msgs=%" PRIu64 " leaves=%" PRIu64 " atts=%" PRIu64 " att_bytes=%" PRIu64
		" dec_bytes=%" PRIu64 " att_sum=", s.msgs, s.leaves, s.atts, s.att_bytes, s.dec_bytes);
	sum256_print (&s.att_sum, 32);
	printf (" fname_sum=");
	sum256_print (&s.fname_sum, 8);
	printf (" zips=%" PRIu64 " zip_members=%" PRIu64 " zip_enc=%" PRIu64 " urls=%" PRIu64
		" fffd=%" PRIu64 " rfc822=%" PRIu64 " inner_atts=%" PRIu64 " inner_sum=",
		s.zips, s.zip_members, s.zip_enc, s.urls, s.fffd, s.rfc822, s.inner_atts);
	sum256_print (&s.inner_sum, 32);
	printf (" hdr_sum=");
	sum256_print (&s.hdr_sum, 8);
	printf (" hdr_fffd=%" PRIu64 " zip_bad=%" PRIu64 "\n", s.hdr_fffd, s.zip_bad);
	fflush (stdout);
	if (required_work) {
		/* on stderr: not part of the summary line the truth check reads */
		fprintf (stderr, "required work: html_nodes=%" PRIu64 " yara_matches=%" PRIu64 " sum=",
			 html_nodes, yara_matches);
		for (int i = 0; i < 8; i++)
			fprintf (stderr, "%02x", required_sum.b[i]);
		fprintf (stderr, "\n");
	}

	g_byte_array_unref (buf);
	g_object_unref (parser);
	g_object_unref (stream);
	g_mime_shutdown ();
	return 0;
}
