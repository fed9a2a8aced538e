/* persona_model_read: a model written by hand (as cl-kmeans --save-model
 * writes one: docs/kmeans.md) read into the numbers it says, and each way
 * a model can be wrong refused with its line. test_kmeans.c checks the
 * write/read round trip; this one the reader alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "persona.h"
#include "t.h"

static char path[] = "/tmp/test_model_XXXXXX";

static void write_model(const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
        abort();
}

#define HEAD "clientele_kmeans_model,1\nscale,robust\n"
#define FEATURES "feature,revenue,log,2.5,4\nfeature,\"orders, all\",none,-1,0.5\n"
#define REST "centroid,1,1,-1\ncentroid,2,0.25,3e2\nz,1,0.5,-0.5\nz,2,2,1\n" \
             "pca_mean,0,0.125\npca_axis,1,1,0\npca_axis,2,0,-1\n"

/* Read the model in text; @return the diag message, "" when it was read. */
static const char *refused(const char *text)
{
    static struct diag diag;
    struct persona_model m;
    write_model(text);
    if (persona_model_read(&m, path, &diag) == 0) {
        persona_model_free(&m);
        return "";
    }
    return diag.message;
}

int main(void)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);

    struct persona_model m;
    struct diag diag;
    write_model(HEAD FEATURES REST);
    int rc = persona_model_read(&m, path, &diag);
    T_CHECK(rc == 0, "model: a hand-written model is read (%s)", rc ? diag.message : "");
    if (rc == 0) {
        T_CHECK(m.k == 2 && m.scaling.dims == 2 && m.scaling.kind == DATASET_ROBUST,
                "model: 2 clusters, 2 features, robust scaling");
        T_CHECK(strcmp(m.names[0], "revenue") == 0 && strcmp(m.names[1], "orders, all") == 0,
                "model: feature names, a quoted one with its comma");
        T_CHECK(m.scaling.log[0] == 1 && m.scaling.log[1] == 0 && m.scaling.center[0] == 2.5 &&
                m.scaling.scale[0] == 4 && m.scaling.center[1] == -1 && m.scaling.scale[1] == 0.5,
                "model: each feature's transform, centre and scale");
        T_CHECK(m.centers[0] == 1 && m.centers[1] == -1 && m.centers[2] == 0.25 &&
                m.centers[3] == 300, "model: centroids row by row (3e2 = 300)");
        T_CHECK(m.z[0] == 0.5 && m.z[1] == -0.5 && m.z[2] == 2 && m.z[3] == 1,
                "model: z-deviations row by row");
        T_CHECK(m.pca_mean[1] == 0.125 && m.pca_axes[0] == 1 && m.pca_axes[1] == 0 &&
                m.pca_axes[2] == 0 && m.pca_axes[3] == -1, "model: the projection");
        persona_model_free(&m);
    }

    T_CHECK(strstr(refused(HEAD "feature,revenue,none,0,0\n" REST), ":3: the scale must be "
                   "positive") != NULL, "model: a zero scale refused with its line");
    T_CHECK(strstr(refused(HEAD "centroid,1,1,-1\n" FEATURES REST), ":3: centroid before the "
                   "features") != NULL, "model: a centroid before the features refused");
    T_CHECK(strstr(refused(HEAD FEATURES "centroid,2,1,-1\n"), ":5: centroid 1 expected") != NULL,
            "model: centroids out of order refused");
    T_CHECK(strstr(refused(HEAD FEATURES "centroid,1,1,-1\n"), "incomplete model") != NULL,
            "model: no z, no projection: incomplete");
    T_CHECK(strstr(refused("clientele_kmeans_model,7\n"), "version 7") != NULL,
            "model: another version refused");
    T_CHECK(strcmp(refused(HEAD FEATURES REST), "") == 0, "model: the checks above can pass");

    unlink(path);
    T_CHECK(persona_model_read(&m, path, &diag) == -1 && strstr(diag.message, path) != NULL,
            "model: a missing file named in the message (%s)", diag.message);
    T_DONE();
}
