/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What to read and what to try for each Anker feature: one table, keyed
 * by the feature's name in /sys/kernel/anker/features/, used by anker-info
 * (the hints) and anker-demo (the demos). A feature missing from the table
 * is listed by name only.
 */
#ifndef ANKER_GUIDE_H
#define ANKER_GUIDE_H

struct anker_guide {
	const char *name;	/* the feature, as in /sys/kernel/anker/features */
	const char *doc;	/* its page, relative to the repository */
	const char *also;	/* other commands to try, or NULL */
	int (*demo)(void);	/* anker-demo NAME, or NULL; returns an exit status */
};

extern const struct anker_guide anker_guides[];

/* The table's entry for feature @name, or NULL. */
const struct anker_guide *anker_guide(const char *name);

#endif /* ANKER_GUIDE_H */
