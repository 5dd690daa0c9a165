#ifndef REG_H
#define REG_H
struct hooks {
    const char *name;
    void (*quit)(void);
};
struct hook_set {
    struct hooks inner;
};
int reg_quit(void (*fn)(void));
#define REG_QUIT_OF(h) reg_quit((h).quit)
#endif
