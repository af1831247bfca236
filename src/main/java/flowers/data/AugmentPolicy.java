package flowers.data;

import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.Locale;

/** What {@code train --augment} does to training images. */
@JsonAdapter(AugmentPolicy.AsFlag.class)
public enum AugmentPolicy {
  /** Images as decoded. */
  NONE,
  /** Flip and small shifts ({@link ShiftAugmenter}): every pixel keeps its scale. */
  LIGHT,
  /** Flip, random resized crop and colour jitter ({@link StandardAugmenter}). */
  STRONG,
  /** {@link #LIGHT} below {@value #STRONG_FROM_PX} px, {@link #STRONG} from there. */
  AUTO;

  /**
   * From this size up a photo has pixels to spare for a resized crop; below it, the crop throws
   * away much of what little there is (measured: see README "Results on real photos").
   */
  public static final int STRONG_FROM_PX = 128;

  /** {@code none|light|strong|auto}; a bare {@code --augment} means strong, as it always did. */
  public static AugmentPolicy parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "none", "off", "false" -> NONE;
      case "light" -> LIGHT;
      case "strong", "on", "true" -> STRONG;
      case "auto" -> AUTO;
      default -> throw new IllegalArgumentException("--augment must be none, light, strong or auto, got '" + s + "'");
    };
  }

  /** The policy at this image size: {@link #AUTO} decided. */
  public AugmentPolicy at(int imageSize) {
    return this == AUTO ? (imageSize >= STRONG_FROM_PX ? STRONG : LIGHT) : this;
  }

  /** The augmenter that does it at {@code imageSize}; null for none. */
  public Augmenter augmenter(int imageSize) {
    return switch (at(imageSize)) {
      case NONE -> null;
      case LIGHT -> ShiftAugmenter.defaults();
      case STRONG, AUTO -> StandardAugmenter.defaults();
    };
  }

  /** {@code "light"}, as the flag says it; reads the {@code true}/{@code false} of configs written before policies. */
  static final class AsFlag extends TypeAdapter<AugmentPolicy> {
    @Override
    public void write(JsonWriter out, AugmentPolicy value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else {
        out.value(value.name().toLowerCase(Locale.ROOT));
      }
    }

    @Override
    public AugmentPolicy read(JsonReader in) throws IOException {
      return switch (in.peek()) {
        case NULL -> {
          in.nextNull();
          yield null;
        }
        case BOOLEAN -> in.nextBoolean() ? STRONG : NONE;
        default -> parse(in.nextString());
      };
    }
  }
}
