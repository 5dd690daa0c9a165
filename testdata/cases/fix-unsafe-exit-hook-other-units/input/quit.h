/* The registration functions quit.c exports to the modules. */
#ifndef QUIT_H
#define QUIT_H

struct quit_hooks {
    const char *name;
    void (*quit)(void);
};

int add_quitter(void (*fn)(void));
int add_quit_hooks(const struct quit_hooks *hooks);
int quit_at_c_exit(void (*fn)(void));
int run_later(void (*fn)(void));
/* Defined by no file of the tree (a library the modules link with). */
int ext_register(void (*fn)(void));
/* Read by quit.c's exit hook. */
extern void (*quit_slots[4])(void);

#define QUIT_LATER(f) add_quitter(f)

#endif
