/* atelier-sandbox-inspect.c: deterministic answers for POST /images/inspect
 *
 * The sandbox has no face detector; it answers from simple pixel
 * statistics so that tests and manual trials can produce each warning on
 * purpose. Statistics are taken on the image (EXIF orientation applied)
 * scaled so that its long side is at most 512 px:
 *
 *   Y          mean luminance, 0.299 R + 0.587 G + 0.114 B (0–255)
 *   R̄, Ḡ, B̄    mean of each channel; H, S, V the HSV of (R̄, Ḡ, B̄)
 *   sharpness  variance of the 4-neighbour Laplacian, averaged over the
 *              R, G and B channels
 *   bands      mean luminance of rows 0–12 % (top), 35–45 % (eyes) and
 *              80–100 % (chin) of the height
 *
 * and the original width w and height h. Then:
 *
 *   name                 the requested class, except "" when Y < 20 (nothing
 *                        detected) and, for a green-dominant image
 *                        (Ḡ > R̄ + 40 and Ḡ > B̄ + 40), "dog" for a person
 *                        class or "man" for any other class
 *   blurry               sharpness < 40 (a flat or Gaussian-blurred image
 *                        is blurry, about 6; a 512 px JPEG of a gradient with
 *                        a 16 px checker is not, about 120)
 *   full_body_image_or_longshot  h / w > 1.8
 *   includes_multiple_people     w / h > 2.2
 *   wearing_sunglasses   eyes band < 40 % of Y
 *   wearing_hat          top band < 25 % of Y
 *   funny_face           always false
 *   selfie               square (sides within 2 %) and w < 400 (a small square
 *                        crop, as phones save front-camera shots)
 *
 * Characteristics, only for person classes (man, woman, boy, girl, baby,
 * person) and when something was detected, else "":
 *
 *   eye_color    V < 0.2 black, S < 0.12 gray, H in [180, 260) blue,
 *                H in [70, 180) green, else brown ("… eyes")
 *   hair_color   Y < 60 black hair, red hue (H < 25 or ≥ 340) with S > 0.45
 *                red hair, Y > 170 blonde, else brunette
 *   hair_length  top band / Y < 0.85 long, < 1.0 medium, else short hair
 *   hair_style   bald when is_bald, sharpness > 1500 curly, > 400 wavy,
 *                else straight hair
 *   age          "20 yo" … "70 yo" by Y in six equal buckets
 *   ethnicity    the documented values by H in seven equal buckets
 *   glasses      "glasses" when the eyes band < 70 % of Y without sunglasses
 *   facial_hair  "beard" for man/boy when the chin band < 60 % of Y
 *   is_bald      "bald" for man/boy when the top band > 135 % of Y
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "atelier-image-utils.h"
#include "atelier-sandbox-private.h"

#define STATS_MAX_SIDE      512
#define DARK_LUMINANCE      20.0
#define GREEN_MARGIN        40.0
#define BLURRY_SHARPNESS    40.0

typedef struct
{
  int    width;
  int    height;
  double mean_r;
  double mean_g;
  double mean_b;
  double mean_y;
  double hue;
  double saturation;
  double value;
  double sharpness;
  double band_top;
  double band_eyes;
  double band_chin;
} ImageStats;

static const char * const person_classes[] = { "man", "woman", "boy", "girl", "baby", "person", NULL };
static const char * const male_classes[] = { "man", "boy", NULL };
static const char * const ages[] = { "20 yo", "30 yo", "40 yo", "50 yo", "60 yo", "70 yo" };
static const char * const ethnicities[] = {
  "caucasian", "black", "hispanic", "korean", "japanese", "chinese", "philippine"
};

static double
luminance (const guchar *p)
{
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* A pixbuf's pixels, for reading */
typedef struct
{
  const guchar *data;
  int           width;
  int           height;
  int           rowstride;
  int           channels;
} Pixels;

static Pixels
pixels_of (GdkPixbuf *pixbuf)
{
  return (Pixels) {
    gdk_pixbuf_read_pixels (pixbuf),
    gdk_pixbuf_get_width (pixbuf),
    gdk_pixbuf_get_height (pixbuf),
    gdk_pixbuf_get_rowstride (pixbuf),
    gdk_pixbuf_get_n_channels (pixbuf),
  };
}

static inline const guchar *
pixel_at (const Pixels *px,
          int           x,
          int           y)
{
  return px->data + y * px->rowstride + x * px->channels;
}

static double
rows_luminance (GdkPixbuf *pixbuf,
                double     from,
                double     to)
{
  Pixels px = pixels_of (pixbuf);
  int first = (int) floor (from * px.height);
  int last = MAX ((int) ceil (to * px.height), first + 1);
  double sum = 0;
  gsize count = 0;

  last = MIN (last, px.height);
  for (int y = first; y < last; y++)
    for (int x = 0; x < px.width; x++)
      {
        sum += luminance (pixel_at (&px, x, y));
        count++;
      }

  return count > 0 ? sum / count : 0;
}

static double
laplacian_variance (GdkPixbuf *pixbuf,
                    int        channel)
{
  Pixels px = pixels_of (pixbuf);
  double sum = 0;
  double sum_sq = 0;
  gsize count = 0;

#define AT(x, y) ((double) pixel_at (&px, (x), (y))[channel])
  for (int y = 1; y < px.height - 1; y++)
    for (int x = 1; x < px.width - 1; x++)
      {
        double l = AT (x - 1, y) + AT (x + 1, y) + AT (x, y - 1) + AT (x, y + 1) - 4 * AT (x, y);

        sum += l;
        sum_sq += l * l;
        count++;
      }
#undef AT

  if (count == 0)
    return 0;

  return sum_sq / count - (sum / count) * (sum / count);
}

static void
rgb_to_hsv (double  r,
            double  g,
            double  b,
            double *h,
            double *s,
            double *v)
{
  double max = MAX (r, MAX (g, b));
  double min = MIN (r, MIN (g, b));
  double delta = max - min;

  *v = max / 255.0;
  *s = max > 0 ? delta / max : 0;

  if (delta <= 0)
    *h = 0;
  else if (max == r)
    *h = 60 * fmod ((g - b) / delta + 6, 6);
  else if (max == g)
    *h = 60 * ((b - r) / delta + 2);
  else
    *h = 60 * ((r - g) / delta + 4);
}

static void
compute_stats (GdkPixbuf  *original,
               ImageStats *stats)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  int width = gdk_pixbuf_get_width (original);
  int height = gdk_pixbuf_get_height (original);
  int long_side = MAX (width, height);
  Pixels px;
  double sums[3] = { 0, 0, 0 };
  gsize count = 0;

  stats->width = width;
  stats->height = height;

  if (long_side > STATS_MAX_SIDE)
    pixbuf = gdk_pixbuf_scale_simple (original,
                                      MAX (1, width * STATS_MAX_SIDE / long_side),
                                      MAX (1, height * STATS_MAX_SIDE / long_side),
                                      GDK_INTERP_BILINEAR);
  else
    pixbuf = g_object_ref (original);

  px = pixels_of (pixbuf);
  for (int y = 0; y < px.height; y++)
    for (int x = 0; x < px.width; x++)
      {
        const guchar *p = pixel_at (&px, x, y);

        sums[0] += p[0];
        sums[1] += p[1];
        sums[2] += p[2];
        count++;
      }

  stats->mean_r = sums[0] / MAX (count, 1);
  stats->mean_g = sums[1] / MAX (count, 1);
  stats->mean_b = sums[2] / MAX (count, 1);
  stats->mean_y = 0.299 * stats->mean_r + 0.587 * stats->mean_g + 0.114 * stats->mean_b;
  rgb_to_hsv (stats->mean_r, stats->mean_g, stats->mean_b, &stats->hue, &stats->saturation, &stats->value);

  stats->sharpness = (laplacian_variance (pixbuf, 0) +
                      laplacian_variance (pixbuf, 1) +
                      laplacian_variance (pixbuf, 2)) / 3;
  stats->band_top = rows_luminance (pixbuf, 0.0, 0.12);
  stats->band_eyes = rows_luminance (pixbuf, 0.35, 0.45);
  stats->band_chin = rows_luminance (pixbuf, 0.80, 1.0);
}

static const char *
pick_eye_color (const ImageStats *stats)
{
  if (stats->value < 0.2)
    return "black eyes";
  if (stats->saturation < 0.12)
    return "gray eyes";
  if (stats->hue >= 180 && stats->hue < 260)
    return "blue eyes";
  if (stats->hue >= 70 && stats->hue < 180)
    return "green eyes";
  return "brown eyes";
}

static const char *
pick_hair_color (const ImageStats *stats)
{
  if (stats->mean_y < 60)
    return "black hair";
  if ((stats->hue < 25 || stats->hue >= 340) && stats->saturation > 0.45)
    return "red hair";
  if (stats->mean_y > 170)
    return "blonde";
  return "brunette";
}

static const char *
pick_hair_length (const ImageStats *stats)
{
  double ratio = stats->band_top / MAX (stats->mean_y, 1);

  if (ratio < 0.85)
    return "long hair";
  if (ratio < 1.0)
    return "medium hair";
  return "short hair";
}

static void
set_characteristics (JsonObject       *object,
                     const ImageStats *stats,
                     gboolean          person,
                     gboolean          male,
                     gboolean          sunglasses)
{
  gboolean bald = person && male && stats->band_top > 1.35 * stats->mean_y;
  const char *hair_style;

  if (!person)
    {
      static const char * const keys[] = {
        "age", "ethnicity", "eye_color", "facial_hair", "glasses",
        "hair_color", "hair_length", "hair_style", "is_bald", NULL
      };

      for (guint i = 0; keys[i] != NULL; i++)
        json_object_set_string_member (object, keys[i], "");
      return;
    }

  if (bald)
    hair_style = "bald";
  else if (stats->sharpness > 1500)
    hair_style = "curly hair";
  else if (stats->sharpness > 400)
    hair_style = "wavy hair";
  else
    hair_style = "straight hair";

  json_object_set_string_member (object, "age", ages[MIN ((int) (stats->mean_y * 6 / 256), 5)]);
  json_object_set_string_member (object, "ethnicity", ethnicities[MIN ((int) (stats->hue * 7 / 360), 6)]);
  json_object_set_string_member (object, "eye_color", pick_eye_color (stats));
  json_object_set_string_member (object, "facial_hair",
                                 male && stats->band_chin < 0.6 * stats->mean_y ? "beard" : "");
  json_object_set_string_member (object, "glasses",
                                 !sunglasses && stats->band_eyes < 0.7 * stats->mean_y ? "glasses" : "");
  json_object_set_string_member (object, "hair_color", pick_hair_color (stats));
  json_object_set_string_member (object, "hair_length", bald ? "short hair" : pick_hair_length (stats));
  json_object_set_string_member (object, "hair_style", hair_style);
  json_object_set_string_member (object, "is_bald", bald ? "bald" : "");
}

static const char *
detect_name (const ImageStats *stats,
             const char       *class_name,
             gboolean          person)
{
  if (stats->mean_y < DARK_LUMINANCE)
    return "";

  if (stats->mean_g > stats->mean_r + GREEN_MARGIN && stats->mean_g > stats->mean_b + GREEN_MARGIN)
    return person ? "dog" : "man";

  return class_name;
}

JsonNode *
_atelier_sandbox_inspect_pixbuf (GdkPixbuf  *pixbuf,
                                 const char *class_name)
{
  g_autoptr(JsonObject) object = json_object_new ();
  ImageStats stats = { 0 };
  gboolean person;
  gboolean sunglasses;
  const char *name;
  double aspect;
  int square_tolerance;

  compute_stats (pixbuf, &stats);
  g_debug ("Sandbox inspect: %dx%d Y %.1f RGB %.0f/%.0f/%.0f HSV %.0f/%.2f/%.2f sharpness %.1f bands %.0f/%.0f/%.0f",
           stats.width, stats.height, stats.mean_y, stats.mean_r, stats.mean_g, stats.mean_b,
           stats.hue, stats.saturation, stats.value, stats.sharpness,
           stats.band_top, stats.band_eyes, stats.band_chin);

  name = detect_name (&stats, class_name, g_strv_contains (person_classes, class_name));
  person = name[0] != '\0' && g_strv_contains (person_classes, name);
  sunglasses = stats.band_eyes < 0.4 * stats.mean_y;
  aspect = (double) stats.height / MAX (stats.width, 1);
  square_tolerance = MAX (stats.width, stats.height) / 50;

  json_object_set_string_member (object, "name", name);
  set_characteristics (object, &stats, person, g_strv_contains (male_classes, name), sunglasses);
  json_object_set_boolean_member (object, "blurry", stats.sharpness < BLURRY_SHARPNESS);
  json_object_set_boolean_member (object, "full_body_image_or_longshot", aspect > 1.8);
  json_object_set_boolean_member (object, "funny_face", FALSE);
  json_object_set_boolean_member (object, "includes_multiple_people", aspect < 1 / 2.2);
  json_object_set_boolean_member (object, "selfie",
                                  ABS (stats.width - stats.height) <= square_tolerance && stats.width < 400);
  json_object_set_boolean_member (object, "wearing_hat", stats.band_top < 0.25 * stats.mean_y);
  json_object_set_boolean_member (object, "wearing_sunglasses", sunglasses);

  return json_node_init_object (json_node_alloc (), object);
}

/* Uploads are anyone's bytes: the header's size is checked before a
 * pixel is decoded (atelier_image_decode_bytes()), so a decompression
 * bomb is refused rather than allocated. */
JsonNode *
_atelier_sandbox_inspect_bytes (GBytes      *bytes,
                                const char  *class_name,
                                GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  pixbuf = atelier_image_decode_bytes (bytes, 0, ATELIER_IMAGE_MAX_PIXELS, NULL, NULL, NULL, error);
  if (pixbuf == NULL)
    return NULL;

  return _atelier_sandbox_inspect_pixbuf (pixbuf, class_name);
}
