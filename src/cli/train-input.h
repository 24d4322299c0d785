/* train-input.h — what the trainee types at the terminal trainer: lines
 * read with line editing and history (libedit) when the trainer runs at a
 * terminal, plain lines otherwise; and the command words (hint, skip, quit,
 * case, help) in English and Vietnamese.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct _TrainInput TrainInput;

/* A reader of @in that prompts on @out. Line editing and history are on
 * when both are terminals; a signal (Ctrl-C) interrupts a read in
 * progress. (transfer full) */
TrainInput *train_input_new (FILE *in, FILE *out);
void train_input_free (TrainInput *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrainInput, train_input_free)

/* Shows @prompt and reads one line: without its end of line, control
 * characters and escape sequences (an arrow key a terminal without line
 * editing passes on) removed, made valid UTF-8 in composed form (NFC), and
 * stripped of surrounding spaces. A line that is not empty goes to the
 * history. NULL at the end of input or when a signal interrupted the read.
 * (transfer full) */
char *train_input_read (TrainInput *input, const char *prompt);

/* One line of @in without its end of line; NULL at the end of input or
 * when a signal interrupted the read. At most PSIM_SESSION_MAX_ANSWER_BYTES
 * + 1 bytes of it are kept (the session refuses an answer that long, with
 * a message) and the rest is skipped, so that a line cannot make memory
 * grow; a line still without an end after TRAIN_INPUT_LINE_MAX bytes is
 * taken as the end of input (so "< /dev/zero" is not read forever). Tell
 * that case from the end of a file with feof(). (transfer full) */
char *train_input_read_line (FILE *in);
#define TRAIN_INPUT_LINE_MAX (1024 * 1024)

/* @line without control characters and escape sequences, valid UTF-8 in
 * composed form, stripped. (transfer full) */
char *train_input_clean (const char *line);

typedef enum {
  TRAIN_WORD_NONE, /* an answer for the session */
  TRAIN_WORD_HINT, /* h, hint, gợi ý */
  TRAIN_WORD_SKIP, /* s, skip, bỏ qua */
  TRAIN_WORD_QUIT, /* q, quit, thoát */
  TRAIN_WORD_CASE, /* c, case, tình huống: the case and the point again */
  TRAIN_WORD_HELP, /* ?, help, trợ giúp */
} TrainWord;

/* The command @answer is, in either language, with or without the
 * Vietnamese diacritics and whatever the letter case. */
TrainWord train_input_word (const char *answer);
