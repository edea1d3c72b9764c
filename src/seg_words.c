/*
 * seg_words: the words the reader looks for, as data. To teach the reader
 * a new form (a role word, a label, an editor's title), add it here.
 */
#include "seg_int.h"

#define COUNT(name, arr) const size_t name = SEG_N(arr)

/* What papers print before a byline or a dateline. */
const char *const seg_bullets[] = {"■", "□", "●", "○", "◆", "◇", "▲", "△", "★", "☆", "▼", "◎"};
COUNT(seg_nbullets, seg_bullets);

/* Role words for the text, printed before the names; what stands before
   them in the same word is the paper or agency (本报记者, XX日报社全媒体
   记者), which is not part of the role. */
const char *const seg_text_roles[] = {
    "记者",     "见习记者", "实习记者",   "融媒体记者", "全媒体记者", "特约记者",
    "首席记者", "主任记者", "特派记者",   "驻站记者",   "通讯员",     "特约通讯员",
    "实习生",   "评论员",   "特约评论员", "撰稿",       "撰文",       "编译",
    "报道员",   "融媒记者", "新媒体记者", "视频记者",   "文字记者",   "执笔",
};
COUNT(seg_ntext_roles, seg_text_roles);

/* Role words for photos. */
const char *const seg_photo_roles[] = {"摄影", "摄影记者", "摄像", "图片", "摄影报道"};
COUNT(seg_nphoto_roles, seg_photo_roles);

/* The titles on editor lines, which are the page's, not an article's. */
const char *const seg_editor_roles[] = {
    "责任编辑", "编辑",     "本版编辑", "美编",     "美术编辑", "校对",     "责编",
    "版式",     "版式设计", "组版",     "排版",     "审读",     "终审",     "值班编辑",
    "签发",     "一审",     "二审",     "三审",     "见习编辑", "视觉设计", "设计",
    "本版责编", "责任校对", "制图",     "版面编辑", "责任美编", "本版美编", "值班主任",
};
COUNT(seg_neditor_roles, seg_editor_roles);

/* Section labels, whole. */
const char *const seg_label_words[] = {
    "要闻",     "简讯",   "快讯",     "速览",     "要闻速览", "图片新闻", "图片报道", "图说",
    "短讯",     "资讯",   "动态",     "综合",     "时评",     "视点",     "关注",     "聚焦",
    "特稿",     "导读",   "本版导读", "一线",     "城事",     "专题",     "观察",     "新闻眼",
    "看点",     "热点",   "民生",     "综合新闻", "本地新闻", "今日关注", "新闻速递", "社会",
    "经济",     "时政",   "文体",     "图片",     "影像",     "纵横",     "广角",     "简明新闻",
    "新闻集锦", "消息",   "短评",     "快评",     "述评",     "评论",     "微评",     "编后",
    "特写",     "走基层", "人物",     "访谈",     "面对面",   "直通车",   "身边事",   "新春走基层",
};
COUNT(seg_nlabel_words, seg_label_words);

/* How longer labels end: 镇街快讯, 区县动态, 部门速递. */
const char *const seg_label_ends[] = {
    "快讯",   "简讯",   "速览", "速递", "动态",   "播报",   "短波",   "集锦",
    "扫描",   "一览",   "传真", "资讯", "要闻",   "短讯",   "图说",   "新闻",
    "看台",   "连线",   "直击", "掠影", "进行时", "在行动", "新观察", "手记",
    "走基层", "面对面", "一线", "观察", "纪事",   "快报",   "速报",
};
COUNT(seg_nlabel_ends, seg_label_ends);

/* How papers' names end. */
const char *const seg_paper_ends[] = {"日报",   "晚报",   "时报",   "商报", "快报", "晨报", "早报",
                                      "都市报", "青年报", "法治报", "导报", "周报", "报"};
COUNT(seg_npaper_ends, seg_paper_ends);

/* A block holding one of these (and short) is a notice, not news. */
const char *const seg_notice_words[] = {"公益广告", "广告",     "遗失声明",
                                        "招聘启事", "寻人启事", "启事"};
COUNT(seg_nnotice_words, seg_notice_words);

/* What no sentence ends on: a paragraph ending so was cut by the layout. */
const char *const seg_continuing[] = {
    ",",  "，", "、", ";",  "；", ":",  "：", "—",  "(",  "（", "“",  "《", "的", "和", "与",
    "及", "在", "是", "为", "对", "把", "将", "从", "向", "被", "让", "使", "并", "或", "而",
    "了", "着", "其", "以", "于", "由", "给", "跟", "就", "也", "都", "还", "又", "再",
};
COUNT(seg_ncontinuing, seg_continuing);

/* Title words after which a name begins: 副科长方 | 雏声. */
const char *const seg_name_titles[] = {"长", "任", "记", "理", "员", "授", "席", "监", "师"};
COUNT(seg_nname_titles, seg_name_titles);

/* A short sentence ending so closes a news item on its own ("副区长陈容
   出席。"); it is never the end of a sentence the column cut. */
const char *const seg_closing_verbs[] = {
    "出席。",     "参加。",     "陪同。",     "出席活动。",   "参加活动。", "出席会议。",
    "参加会议。", "出席仪式。", "参加仪式。", "主持会议。",   "讲话。",     "致辞。",
    "陪同调研。", "陪同考察。", "一同调研。", "出席开幕式。",
};
COUNT(seg_nclosing_verbs, seg_closing_verbs);

/* Paragraphs opening so are body text, whatever else they look like. */
const char *const seg_body_openers[] = {
    "编者按", "编者的话", "编后", "记者:", "记者：", "问:", "问：", "答:", "答：",
};
COUNT(seg_nbody_openers, seg_body_openers);

/* Words of two to four characters that are never a person's name. */
const char *const seg_not_names[] = {
    "近日",   "日前",   "昨天", "今天", "昨日", "今日", "目前", "当天", "近期", "上午", "下午",
    "晚上",   "本报",   "眼下", "如今", "今年", "去年", "本周", "连日", "当日", "此前", "日前",
    "记者",   "通讯员", "编辑", "报道", "文字", "图片", "摄影", "供图", "据悉", "近年", "今年以来",
    "连日来", "近年来", "日前", "清晨", "凌晨", "傍晚", "中午", "深夜", "本月",
};
COUNT(seg_nnot_names, seg_not_names);

/* How the name of a paper or agency ends, when it stands before a role
   word: 晋江融媒 记者, 厦门日报 记者, XX县融媒体中心 记者. */
const char *const seg_org_ends[] = {
    "融媒", "融媒体", "日报", "晚报", "报社", "报", "网", "台", "中心", "社", "新闻", "客户端",
};
COUNT(seg_norg_ends, seg_org_ends);
