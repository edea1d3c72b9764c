#include "calendar.h"

int
cal_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
cal_days_in(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && cal_leap(y) ? 29 : days[m - 1];
}

int
cal_weekday(int y, int m, int d)
{
	/* Sakamoto's method, which counts from Sunday */
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	if (m < 3)
		y--;
	int sunday0 = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
	return (sunday0 + 6) % 7;
}
