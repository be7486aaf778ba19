/*
 * group.c - group commit: threads queue items (writes, audit rows), and one of
 * them at a time, the leader, runs the queued items in batches, one
 * transaction each, while the others sleep.
 *
 * Each thread sleeps on a semaphore of its own item and is woken exactly
 * once: when its item is done, or when it is handed the lead. The leader
 * takes a batch from the head of the queue (its own item first), runs it,
 * and then, if more items were queued meanwhile, hands the lead to the
 * thread of the first of them before waking its batch's threads. The
 * invariant: the queue is never non-empty without a leader.
 *
 * Before, waiters slept on one condition variable that the leader broadcast
 * after every batch: every waiting thread woke, the next batch's threads only
 * to sleep again, and each re-took the queue's mutex in turn. Under
 * bench/load's 64 connections that herd was most of the server's lock waits
 * (perf: the mutex's re-lock inside pthread_cond_wait under st__write_job).
 */
#include <errno.h>

#include "store/internal.h"

void st__gq_init(st__gq *q, int max, void (*run)(void *ctx, st__gq_item *batch), void *ctx)
{
    pthread_mutex_init(&q->mu, NULL);
    q->head = NULL;
    q->tail = &q->head;
    q->leading = 0;
    q->max = max;
    q->run = run;
    q->ctx = ctx;
}

void st__gq_destroy(st__gq *q)
{
    pthread_mutex_destroy(&q->mu);
}

void st__gq_submit(st__gq *q, st__gq_item *it)
{
    int lead;

    it->next = NULL;
    it->done = 0;
    sem_init(&it->sem, 0, 0);
    pthread_mutex_lock(&q->mu);
    *q->tail = it;
    q->tail = &it->next;
    lead = !q->leading; /* no leader: the queue was empty, `it` is its head */
    q->leading = 1;
    pthread_mutex_unlock(&q->mu);
    if (!lead)
        while (sem_wait(&it->sem) != 0 && errno == EINTR)
            ;
    /* Done, or handed the lead: then `it` is the queue's head. */
    if (!it->done) {
        st__gq_item *batch, *last, *next, *x, *after;
        int n;

        pthread_mutex_lock(&q->mu);
        batch = last = q->head;
        for (n = 1; (q->max <= 0 || n < q->max) && last->next; n++)
            last = last->next;
        q->head = last->next;
        last->next = NULL;
        if (!q->head)
            q->tail = &q->head;
        pthread_mutex_unlock(&q->mu);
        q->run(q->ctx, batch);
        pthread_mutex_lock(&q->mu);
        next = q->head; /* queued meanwhile: its thread leads next */
        if (!next)
            q->leading = 0;
        pthread_mutex_unlock(&q->mu);
        for (x = batch; x; x = after) {
            after = x->next; /* before the post: its thread may return at once */
            x->done = 1;
            if (x != it)
                sem_post(&x->sem);
        }
        if (next)
            sem_post(&next->sem);
    }
    sem_destroy(&it->sem);
}
