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

/* The columns of the terminal @out is (TIOCGWINSZ), else $COLUMNS, else 80. */
guint train_ui_columns (FILE *out);
/* The width texts are wrapped to: the columns less 2 (78 on an 80-column
 * terminal), asked again at each call. */
guint train_ui_width (const TrainUi *ui);
/* Prints @text wrapped to the width, each line indented by @indent. */
void train_ui_para (const TrainUi *ui, guint indent, const char *text);

/* Title, procedure, briefing, persona and case: the first screen. */
void train_ui_briefing (const TrainUi *ui, const PsimSession *s);
/* Objectives, scoring rules, time limits: the second screen. */
void train_ui_rules (const TrainUi *ui, const PsimSession *s);
/* The title, persona and case again: before the first question and on
 * request (c), so that they are on the screen with the question. */
void train_ui_case (const TrainUi *ui, const PsimSession *s);
/* The hint of event @event again, when it is asked for again at the same
 * point (it is not charged twice). */
void train_ui_hint_again (const TrainUi *ui, const PsimSession *s, guint event);
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
