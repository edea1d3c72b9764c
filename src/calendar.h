/*
 * calendar: the Gregorian calendar's rules, in one place: leap years, the
 * days of a month, the day of the week. Years are as written (2024);
 * months 1 to 12.
 */
#ifndef BAOKU_CALENDAR_H
#define BAOKU_CALENDAR_H

/* Whether year y has a 29 February. */
int cal_leap(int y);

/* The number of days of month m (1-12) of year y. */
int cal_days_in(int y, int m);

/* The day of the week of y-m-d: 0 Monday .. 6 Sunday. */
int cal_weekday(int y, int m, int d);

#endif
