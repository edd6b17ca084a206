package app;

/** The application JibIT puts in an image: it only has to exist as a class file in a layer. */
public final class Main {
    private Main() {
    }

    public static void main(String[] arguments) {
        System.out.println("hello from an image built by Jib and served by Berth");
    }
}
