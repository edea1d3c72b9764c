/*
 * seg_int: what the reader's files share and no other module sees.
 *
 * Reading a page goes in three steps, one file each:
 *
 *   seg_roles.c     the page is cut into blocks (runs of non-blank lines,
 *                   split where a line is page furniture) and each block
 *                   gets a role from its own text: header, label, kicker,
 *                   headline, subtitle, byline, credit, editor line,
 *                   marker, notice, body, with the reason it got it;
 *   seg_assemble.c  a small grammar turns the roles into draft articles:
 *                   where an article starts, what its parts are, which
 *                   photo a caption and credit belong to; seg_layout.c
 *                   then mends what the layout did across articles;
 *   segment.c       drafts become articles: paragraphs joined, text
 *                   repaired (repair.h), titles derived, ids made.
 *
 * The words the roles look for (markers, role words, label words, editor
 * words, paper names) are data, in seg_words.c; people's names and their
 * roles are read in seg_byline.c; page headers in seg_header.c.
 */
#ifndef BAOKU_SEG_INT_H
#define BAOKU_SEG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "segment.h"

/* Headline candidates are at most this many characters. */
#define SEG_HEADLINE_MAX 48
/* A kicker line ending in a colon, at most. */
#define SEG_KICKER_MAX 30
/* Bylines, credits, headers and editor lines are at most this long. */
#define SEG_BRIEF_MAX 80
/* Blank lines that mark where a photo stood. */
#define SEG_IMAGE_GAP 3

/* ---------------------------------------------------------------------
 * Text helpers (seg_text.c)
 * ------------------------------------------------------------------- */

int seg_starts(const char *s, size_t len, const char *prefix);
int seg_ends(const char *s, size_t len, const char *suffix);
const char *seg_find(const char *s, size_t len, const char *needle);
int seg_is_space(uint32_t c);
void seg_skip_spaces(const char *s, size_t len, size_t *i);
/* Trims spaces at both ends of *s, *len. */
void seg_trim(const char **s, size_t *len);
/* Whether s is made of Han characters only (and '·' inside names). */
int seg_all_han(const char *s, size_t len);
/* Strips a leading bullet (■ □ ● ○ ◆ ◇ ▲ ★ ☆) and spaces; returns 1 when
   there was one. */
int seg_strip_bullet(const char **s, size_t *len);
/* The index in list (n entries, NULL-terminated or not) of the longest
   entry s ends with, or -1. */
int seg_ends_any(const char *s, size_t len, const char *const *list, size_t n);
/* The index of the longest entry s starts with, or -1. */
int seg_starts_any(const char *s, size_t len, const char *const *list, size_t n);
/* Whether s equals one of list's entries. */
int seg_is_any(const char *s, size_t len, const char *const *list, size_t n);
/* s with every space removed, into out (reset first). */
void seg_squeeze(const char *s, size_t len, struct buf *out);

#define SEG_N(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------
 * Words (seg_words.c): the pattern tables, kept as data
 * ------------------------------------------------------------------- */

extern const char *const seg_bullets[]; /* ■ □ ● ○ ◆ … */
extern const size_t seg_nbullets;
extern const char *const seg_text_roles[]; /* 记者 通讯员 实习生 评论员 … */
extern const size_t seg_ntext_roles;
extern const char *const seg_photo_roles[]; /* 摄影 摄影记者 */
extern const size_t seg_nphoto_roles;
extern const char *const seg_editor_roles[]; /* 责任编辑 美编 校对 … */
extern const size_t seg_neditor_roles;
extern const char *const seg_label_words[]; /* 要闻 简讯 图片新闻 … */
extern const size_t seg_nlabel_words;
extern const char *const seg_label_ends[]; /* …快讯 …速览 …动态 */
extern const size_t seg_nlabel_ends;
extern const char *const seg_paper_ends[]; /* 日报 晚报 报 … */
extern const size_t seg_npaper_ends;
extern const char *const seg_notice_words[]; /* 公益广告 … */
extern const size_t seg_nnotice_words;
extern const char *const seg_continuing[]; /* what no sentence ends on */
extern const size_t seg_ncontinuing;
extern const char *const seg_name_titles[]; /* 长 任 记 …: 副科长方 | 雏声 */
extern const size_t seg_nname_titles;
extern const char *const seg_closing_verbs[]; /* 出席。 参加。 … */
extern const size_t seg_nclosing_verbs;
extern const char *const seg_body_openers[]; /* 编者按 问： 记者： … */
extern const size_t seg_nbody_openers;
extern const char *const seg_not_names[]; /* 近日 今年 …: never a name */
extern const size_t seg_nnot_names;
extern const char *const seg_org_ends[]; /* 融媒 日报 …: a paper, not a name */
extern const size_t seg_norg_ends;

/* ---------------------------------------------------------------------
 * People (seg_byline.c)
 * ------------------------------------------------------------------- */

/* People credited, with the role each was printed with. */
struct seg_people {
	struct seg_credit *v;
	size_t n, cap;
};

void seg_people_add(struct seg_people *p, const char *name, size_t len, const char *role,
                    size_t rlen);
void seg_people_take(struct seg_people *into, struct seg_people *from);
void seg_people_free(struct seg_people *p);
/* Whether someone is credited for photos. */
int seg_people_photo(const struct seg_people *p);
int seg_people_text(const struct seg_people *p);

/* A person's name: 2 to 4 Han characters (up to 8 with a ·). */
int seg_is_name(const char *s, size_t len);

/*
 * A byline: the whole of s is credits ("■记者 成佳佳", "本报记者 X 通讯员 Y",
 * "文/X 图/Y", "X/文 Y/摄", "记者 X 实 习 生 Y", "融媒体记者 X 报道",
 * "(X 记者 Y 文/图)", "X 摄"). Returns 1 and adds the people to out, or
 * 0 and adds nothing. With bare, a list of names with no role word
 * ("汪燕鸣 王佳萱") is a byline too.
 */
int seg_byline(const char *s, size_t len, int bare, struct seg_people *out);

/*
 * The people of a line made of names, role words and the like, whether or
 * not it has a role word (*roles counts them): what seg_byline,
 * seg_credit and a bare list of names read. Returns 1 when the whole line
 * is such, adding the people to out.
 */
int seg_people_line(const char *s, size_t len, struct seg_people *out, int *roles);

/* A credit for an organisation's photos, the whole line: "(受访者供图)",
   "XX县融媒体中心供图", "图片由…提供". */
int seg_org_credit(const char *s, size_t len);

/*
 * A truncated byline: a role word and less than a name ("■记者 陈"), what
 * a page cut off at its foot.
 */
int seg_byline_stub(const char *s, size_t len);

/*
 * A photo credit line: photographers only ("王佳萱 摄", "本报记者 X 摄",
 * "摄影/X") or a credit for an organisation ("XX县融媒体中心供图",
 * "(受访者供图)", "(图片由…提供)"). Adds the photographers to out.
 */
int seg_credit(const char *s, size_t len, struct seg_people *out);

/*
 * A dateline at the start of a lead: "本报讯", "本报9月2日讯", "XX新闻网5月8日
 * 讯", "新华社北京6月3日电", "中新网四川新闻12月4日电", after an optional
 * bullet, with the credits that follow it ("(记者 X 通讯员 Y)", or
 * "记者 X" running into the text). Returns the bytes the dateline itself
 * takes (from the start of s, bullet included) and sets *name to where
 * its words start and *nlen to their length, adding the people to out;
 * 0 when s opens with no dateline.
 */
size_t seg_dateline(const char *s, size_t len, const char **name, size_t *nlen,
                    struct seg_people *out);

/* A bracketed byline opening a paragraph, with no dateline before it:
   "（记者 孙 悦）12月6日，…". Returns the bytes it takes and adds the
   people to out, or 0. */
size_t seg_leading_credit(const char *s, size_t len, struct seg_people *out);

/*
 * Credits that close a paragraph: "…。(记者 X)", "…(通讯员 X)", "…■记者 X".
 * Returns the offset where they start and adds the people to out, or
 * returns len when there are none. *bracketed is set when they are in
 * brackets (and stay in the text).
 */
size_t seg_trailing_credit(const char *s, size_t len, struct seg_people *out, int *bracketed);

/* An editor line: "责任编辑 X", "[责任编辑:X]", "本版编辑/X 美编/Y", "校对 X".
   Adds the names to editors (when not NULL). */
int seg_editor_line(const char *s, size_t len, struct strlist *editors);

/* ---------------------------------------------------------------------
 * Page headers and labels (seg_header.c)
 * ------------------------------------------------------------------- */

/*
 * A page header line: the paper's name, the date with its weekday, the
 * page and its name, alone or together ("第03版:要闻", "B2 镇街新闻",
 * "XX日报 2023年5月18日 星期四 第12版 城事"). With strong, a paper's name
 * alone is not enough (it is only a header at the top of a page). Fills
 * what the line gives into head; returns 1 when the whole line is a
 * header.
 */
int seg_header_line(const char *s, size_t len, int strong, struct seg_head *head);

/* Moves what got has and head lacks into head. */
void seg_head_take(struct seg_head *head, struct seg_head *got);

/* A section label: "要 闻", "镇街快讯", "简讯", "图片新闻". */
int seg_label(const char *s, size_t len);

/* ---------------------------------------------------------------------
 * Continuation markers (seg_roles.c)
 * ------------------------------------------------------------------- */

enum seg_marker { M_NONE, M_UP, M_DOWN };

struct seg_ref {
	int page;
	char prefix[8]; /* lettered pages as printed (转A06版: "A06"), or "" */
};

/* A marker "上接第X版", "(下转第6版)", "转A3版" at the start of s; sets
 *used to the bytes it takes. */
enum seg_marker seg_marker_at(const char *s, size_t len, struct seg_ref *ref, size_t *used);
/* A marker that closes s ("…(下转第2版)"); sets *start. */
enum seg_marker seg_marker_end(const char *s, size_t len, struct seg_ref *ref, size_t *start);

/* ---------------------------------------------------------------------
 * Blocks and their roles (seg_roles.c)
 * ------------------------------------------------------------------- */

enum seg_role {
	R_BODY,
	R_BLANK,    /* nothing left (furniture taken out) */
	R_HEADER,   /* page header: paper, date, page, section */
	R_EDITOR,   /* 责任编辑 X */
	R_LABEL,    /* 要 闻, 简讯, 图片新闻 */
	R_MARKER,   /* ◀ 上接第一版, (下转第6版) */
	R_HEADING,  /* ### ... */
	R_NOTICE,   /* 公益广告 */
	R_BYLINE,   /* ■记者 X */
	R_STUB,     /* ■记者 陈: a byline cut off */
	R_CREDIT,   /* X 摄, 本版均为受访者供图 */
	R_NAMES,    /* 汪燕鸣 王佳萱: a byline only right after a headline */
	R_KICKER,   /* a short line ending in a colon */
	R_SUBTITLE, /* ——记… */
	R_SHORT,    /* a short line without final punctuation: headline,
	               subhead, or a paragraph's cut start */
};

struct block {
	char *text; /* its lines, trimmed, joined with \n */
	size_t len;
	size_t line, last; /* source lines */
	size_t gap;        /* blank lines before it */
	enum seg_role role;
	const char *why; /* the reason for the role, for --explain */
	int md_level;    /* R_HEADING: number of #s */
	enum seg_marker marker;
	struct seg_ref ref;
	size_t chars;
	int final; /* ends a sentence */
	int prose; /* a sentence ends inside it (a 。 before its end): a
	              paragraph, never a headline, however short */
	int dated; /* opens with a dateline (本报讯, 新华社…电) */
	int lines; /* how many lines */
};

struct seg_blocks {
	struct block *v;
	size_t n;
	struct seg_head head; /* what the header and editor lines said */
};

/* Cuts text (its first line is line first_line) into blocks and gives
   each its role. Free with seg_blocks_free. */
void seg_blocks_read(const char *text, size_t first_line, struct seg_blocks *out);
void seg_blocks_free(struct seg_blocks *b);
/* The name of a role, for --explain. */
const char *seg_role_name(enum seg_role r);

/* Whether block b could be a headline. */
int seg_headline_shape(const struct block *b);

/* ---------------------------------------------------------------------
 * Drafts (seg_assemble.c)
 * ------------------------------------------------------------------- */

enum piece_type { PC_P, PC_H, PC_FIGURE, PC_GONE };

struct piece {
	enum piece_type type;
	struct buf text;   /* p, h; figure: caption */
	struct buf credit; /* figure */
	size_t line;
	int nojoin; /* never joined to the paragraph before or after */
	int lead;   /* the paragraph opens with a dateline */
};

struct draft {
	enum seg_kind kind;
	struct buf title, kicker, subtitle;
	struct buf label; /* the section label it was printed under */
	int title_derived;
	struct seg_people people;
	struct buf dateline;
	struct seg_ref from, on;
	struct piece *pieces;
	size_t npieces, cappieces;
	size_t first_line, last_line;
	size_t moved_first, moved_last; /* lines a moved column added, or 0 */
	int has_body;
	int news;   /* a news item (a dateline): such items have no subheads */
	int closed; /* ended by a credit or a marker: what follows is new */
	int photo;  /* a headline, then a photo */
};

struct seg_drafts {
	struct draft *v;
	size_t n, cap;
};

/* Assembles the blocks into drafts. */
void seg_assemble(const struct seg_blocks *b, struct seg_drafts *out);
void seg_draft_free(struct draft *d);
/* Appends a piece of type t, from source line `line`, to d. */
struct piece *seg_piece(struct draft *d, enum piece_type t, size_t line);

/* What the layout did across articles (seg_layout.c): drafts left with
   nothing give their lines to the next, a moved column joins its
   article, labels reach what they head. */
void seg_layout(struct seg_drafts *o);

#endif
