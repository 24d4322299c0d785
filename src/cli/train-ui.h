/* train-ui.h — how the terminal trainer shows a session: the briefing, each
 * prompt with its options, the feedback on an answer, and the debrief. The
 * interactive, scripted (--answers) and demo (--demo) runs all print
 * through these, so they read the same.
 */
#pragma once

#include <stdio.h>

#include "cli.h"

typedef struct {
  const char *lang;
  gboolean colour; /* ANSI colours: only on a terminal */
  FILE *out;
} TrainUi;

/* Colour on when @out is a terminal that is not "dumb" and NO_COLOR is
 * unset. */
void train_ui_init (TrainUi *ui, const char *lang, FILE *out);

/* Title, briefing, persona, case, objectives, scoring rules. */
void train_ui_intro (const TrainUi *ui, const PsimSession *s);
/* The status line (step k of n, simulated clock, tally), the situation,
 * and the prompt with its numbered options. */
void train_ui_prompt (const TrainUi *ui, const PsimSession *s);
/* What the events from @first on mean for the trainee. */
void train_ui_feedback (const TrainUi *ui, const PsimSession *s, guint first);
/* For --demo: why the wrong options of the current prompt are wrong, and
 * the instructions of the right step. */
void train_ui_explain (const TrainUi *ui, const PsimSession *s);
/* The score breakdown, the run against the ideal and the compared paths,
 * the alignment of the trainee's actions, and the scenario's debrief. */
void train_ui_debrief (const TrainUi *ui, const PsimSession *s);
