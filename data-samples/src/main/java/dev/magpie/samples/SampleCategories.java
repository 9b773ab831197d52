package dev.magpie.samples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The categories of the sample catalog, with what makes their products look real. */
final class SampleCategories {
  private SampleCategories() {}

  private static Map<String, List<String>> attrs(Object... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> values = (List<String>) pairs[i + 1];
      m.put((String) pairs[i], values);
    }
    return m;
  }

  static final List<String> COLORS =
      List.of(
          "Black", "White", "Navy", "Red", "Grey", "Blue", "Green", "Orange", "Teal", "Burgundy");

  static List<CategorySpec> all() {
    return List.of(
        new CategorySpec(
            "Sports > Footwear > Running Shoes",
            List.of("Stridewell", "Fleetfoot", "Apex Motion", "Northpeak"),
            List.of("Glide", "Tempo", "Pacer", "Cloudrun", "Surge", "Velocity"),
            List.of(
                "Road Running Shoe",
                "Running Shoe",
                "Trail Running Shoe",
                "Racing Flat",
                "Cushioned Running Shoe"),
            60,
            180,
            attrs(
                "color",
                COLORS,
                "size",
                List.of("7", "8", "9", "10", "11", "12", "13"),
                "drop",
                List.of("4 mm", "6 mm", "8 mm", "10 mm")),
            List.of(
                "A lightweight running shoe with a {drop} heel-to-toe drop.",
                "Responsive foam cushioning returns energy on every stride.",
                "Breathable engineered mesh upper keeps feet cool on long runs.",
                "Built for daily training, tempo runs and race day."),
            true),
        new CategorySpec(
            "Sports > Footwear > Hiking Boots",
            List.of("Northpeak", "Ridgeline", "Timberway"),
            List.of("Summit", "Ridge", "Traverse", "Alpine", "Switchback"),
            List.of("Hiking Boot", "Waterproof Hiking Boot", "Mid Hiking Boot", "Backpacking Boot"),
            90,
            260,
            attrs(
                "color",
                List.of("Brown", "Black", "Grey", "Olive", "Tan"),
                "size",
                List.of("7", "8", "9", "10", "11", "12", "13"),
                "material",
                List.of("full-grain leather", "suede", "synthetic"),
                "waterproof",
                List.of("yes", "no")),
            List.of(
                "A sturdy {material} boot with aggressive lugs for rocky trails.",
                "Ankle support and a stiff shank for carrying heavy packs.",
                "Waterproof: {waterproof}. Gusseted tongue keeps debris out."),
            true),
        new CategorySpec(
            "Sports > Camping > Tents",
            List.of("Ridgeline", "Campfire Co", "Northpeak"),
            List.of("Basecamp", "Nomad", "Starlight", "Trailhead"),
            List.of("Backpacking Tent", "Dome Tent", "Ultralight Tent", "Cabin Tent"),
            80,
            520,
            attrs(
                "capacity",
                List.of("1-person", "2-person", "4-person", "6-person"),
                "season",
                List.of("3-season", "4-season"),
                "weight",
                List.of("1.2 kg", "2.1 kg", "3.4 kg", "6.8 kg")),
            List.of(
                "A {season} {capacity} tent, packed weight {weight}.",
                "Color-coded poles make pitching quick, even in the dark.",
                "Full-coverage rainfly and taped seams keep you dry."),
            false),
        new CategorySpec(
            "Sports > Camping > Sleeping Bags",
            List.of("Campfire Co", "Ridgeline", "Northpeak"),
            List.of("Ember", "Cocoon", "Drift", "Polar"),
            List.of("Mummy Sleeping Bag", "Down Sleeping Bag", "Rectangular Sleeping Bag"),
            45,
            380,
            attrs(
                "temperature rating",
                List.of("-10 °C", "-5 °C", "0 °C", "5 °C", "10 °C"),
                "fill",
                List.of("down", "synthetic"),
                "color",
                List.of("Orange", "Blue", "Green", "Grey")),
            List.of(
                "Rated to {temperature rating} with {fill} insulation.",
                "Compresses small into the included stuff sack.",
                "Draft collar and hood seal in warmth on cold nights."),
            false),
        new CategorySpec(
            "Sports > Camping > Headlamps",
            List.of("Lumina", "Campfire Co", "Brightway"),
            List.of("Beam", "Nightfall", "Spark"),
            List.of("LED Headlamp", "Rechargeable Headlamp", "Running Headlamp"),
            15,
            90,
            attrs(
                "brightness",
                List.of("200 lumens", "350 lumens", "600 lumens", "1000 lumens"),
                "battery",
                List.of("AAA", "USB-C rechargeable")),
            List.of(
                "{brightness} of light with red night-vision mode.",
                "Powered by {battery} batteries; IPX4 water resistant."),
            false),
        new CategorySpec(
            "Sports > Fitness > Yoga Mats",
            List.of("Zenflow", "Apex Motion", "Lotus Loom"),
            List.of("Balance", "Grounded", "Flow"),
            List.of("Yoga Mat", "Non-Slip Yoga Mat", "Travel Yoga Mat"),
            20,
            120,
            attrs(
                "thickness",
                List.of("3 mm", "5 mm", "6 mm", "8 mm"),
                "material",
                List.of("natural rubber", "TPE", "PVC-free foam"),
                "color",
                List.of("Purple", "Teal", "Black", "Sand", "Rose")),
            List.of(
                "A {thickness} mat made of {material} with a grippy texture.",
                "Alignment lines help you place hands and feet."),
            false),
        new CategorySpec(
            "Clothing > Outerwear > Rain Jackets",
            List.of("Northpeak", "Ridgeline", "Stormline"),
            List.of("Cascade", "Drizzle", "Monsoon", "Squall"),
            List.of("Rain Jacket", "Waterproof Shell Jacket", "Packable Rain Jacket"),
            50,
            320,
            attrs(
                "color",
                COLORS,
                "size",
                List.of("XS", "S", "M", "L", "XL", "XXL"),
                "membrane",
                List.of("2.5-layer", "3-layer")),
            List.of(
                "A {membrane} waterproof, breathable shell with sealed seams.",
                "Adjustable hood and pit zips for venting on the climb.",
                "Packs into its own pocket."),
            true),
        new CategorySpec(
            "Electronics > Phones > Smartphones",
            List.of("Novaphone", "Pixelle", "Kestrel"),
            List.of("One", "Pro", "Lite", "Max", "Edge"),
            List.of("Smartphone", "5G Smartphone", "Unlocked Smartphone"),
            199,
            1299,
            attrs(
                "storage",
                List.of("64 GB", "128 GB", "256 GB", "512 GB"),
                "color",
                List.of("Black", "Silver", "Blue", "Green", "Gold"),
                "screen",
                List.of("6.1 in.", "6.4 in.", "6.7 in.")),
            List.of(
                "A {screen} OLED display, {storage} of storage and all-day battery.",
                "Triple camera system with night mode.",
                "Unlocked for all major carriers."),
            false),
        new CategorySpec(
            "Electronics > Phones > Phone Cases",
            List.of("Armorlite", "Shellcraft", "Novaphone"),
            List.of("Guard", "Slim", "Rugged", "Clear"),
            List.of("Phone Case", "Rugged Phone Case", "Clear Phone Case", "Wallet Phone Case"),
            12,
            60,
            attrs(
                "fits",
                List.of("Novaphone One", "Novaphone Pro", "Pixelle 8", "Kestrel Max"),
                "color",
                List.of("Black", "Clear", "Blue", "Pink", "Green"),
                "drop protection",
                List.of("1.2 m", "2 m", "3 m")),
            List.of(
                "Fits the {fits}; tested to {drop protection} drops.",
                "Raised edges protect the screen and camera.",
                "Works with wireless charging."),
            false),
        new CategorySpec(
            "Electronics > Phones > Chargers",
            List.of("Voltara", "Novaphone", "Chargewell"),
            List.of("Boost", "Rapid", "Duo"),
            List.of("USB-C Fast Charger", "Wireless Charging Pad", "Car Charger", "Power Bank"),
            10,
            80,
            attrs(
                "power",
                List.of("20 W", "30 W", "45 W", "65 W"),
                "ports",
                List.of("1 port", "2 ports", "3 ports")),
            List.of(
                "{power} fast charging through {ports}.",
                "Over-heat and over-current protection built in."),
            false),
        new CategorySpec(
            "Electronics > Audio > Headphones",
            List.of("Sonora", "Pulse Audio", "Kestrel"),
            List.of("Studio", "Air", "Quiet", "Bass"),
            List.of(
                "Wireless Headphones",
                "Noise Cancelling Headphones",
                "Wireless Earbuds",
                "Sport Earbuds"),
            25,
            400,
            attrs(
                "battery life",
                List.of("20 h", "30 h", "40 h"),
                "color",
                List.of("Black", "White", "Silver", "Navy"),
                "noise cancelling",
                List.of("yes", "no")),
            List.of(
                "Up to {battery life} of playback. Active noise cancelling: {noise cancelling}.",
                "Bluetooth 5.3 with multipoint pairing.",
                "Soft memory-foam cushions for long listening sessions."),
            false),
        new CategorySpec(
            "Electronics > Computers > Laptops",
            List.of("Kestrel", "Lumen Systems", "Pixelle"),
            List.of("Book", "Air", "Studio", "Flex"),
            List.of("Laptop", "Ultrabook", "2-in-1 Laptop", "Gaming Laptop"),
            499,
            2499,
            attrs(
                "memory",
                List.of("8 GB", "16 GB", "32 GB"),
                "storage",
                List.of("256 GB SSD", "512 GB SSD", "1 TB SSD"),
                "screen",
                List.of("13.3 in.", "14 in.", "15.6 in.", "16 in.")),
            List.of(
                "A {screen} laptop with {memory} RAM and a {storage}.",
                "Backlit keyboard and a battery that lasts the working day."),
            false),
        new CategorySpec(
            "Electronics > Computers > Laptop Bags",
            List.of("Carryall", "Shellcraft", "Urban Pack"),
            List.of("Commuter", "Metro", "Voyager"),
            List.of("Laptop Backpack", "Laptop Sleeve", "Messenger Bag"),
            20,
            140,
            attrs(
                "fits",
                List.of("13 in.", "14 in.", "15.6 in.", "16 in."),
                "color",
                List.of("Black", "Grey", "Navy", "Olive")),
            List.of(
                "Padded compartment fits laptops up to {fits}.",
                "Water-resistant fabric and a luggage pass-through strap."),
            false),
        new CategorySpec(
            "Home > Kitchen > Knives",
            List.of("Edgecraft", "Kaiju Steel", "Heritage Forge"),
            List.of("Classic", "Santoku", "Pro", "Damascus"),
            List.of(
                "Chef's Knife", "Santoku Knife", "Paring Knife", "Bread Knife", "Knife Block Set"),
            15,
            350,
            attrs(
                "blade length",
                List.of("3.5 in.", "6 in.", "8 in.", "10 in."),
                "steel",
                List.of("German stainless", "VG-10", "high-carbon")),
            List.of(
                "A {blade length} blade forged from {steel} steel.",
                "Full tang and a balanced, ergonomic handle.",
                "Hand wash and dry to keep the edge keen."),
            false),
        new CategorySpec(
            "Home > Kitchen > Cookware",
            List.of("Heritage Forge", "Copperline", "Castwell"),
            List.of("Everyday", "Pro", "Chef"),
            List.of(
                "Nonstick Frying Pan",
                "Cast Iron Skillet",
                "Stainless Steel Saucepan",
                "Dutch Oven",
                "Cookware Set"),
            20,
            450,
            attrs(
                "diameter",
                List.of("8 in.", "10 in.", "12 in."),
                "material",
                List.of("cast iron", "stainless steel", "hard-anodized aluminium"),
                "induction",
                List.of("yes", "no")),
            List.of(
                "{material} construction; induction compatible: {induction}.",
                "Oven safe to 260 °C.",
                "Even heating with no hot spots."),
            false),
        new CategorySpec(
            "Home > Kitchen > Coffee Makers",
            List.of("Brewmaster", "Copperline", "Barista Home"),
            List.of("Morning", "Espresso", "Pour"),
            List.of(
                "Drip Coffee Maker", "Espresso Machine", "Pour-Over Coffee Maker", "French Press"),
            25,
            900,
            attrs(
                "capacity",
                List.of("4 cups", "8 cups", "12 cups"),
                "color",
                List.of("Black", "Stainless", "Red", "White")),
            List.of(
                "Brews up to {capacity} with programmable start.",
                "Keeps coffee hot for two hours."),
            false),
        new CategorySpec(
            "Grocery > Coffee > Coffee Beans",
            List.of("Highland Roasters", "Brewmaster", "Daybreak"),
            List.of("House Blend", "Single Origin", "Espresso Roast", "Decaf"),
            List.of("Whole Bean Coffee", "Ground Coffee"),
            8,
            35,
            attrs(
                "roast",
                List.of("light", "medium", "dark"),
                "weight",
                List.of("12 oz", "16 oz", "2 lb"),
                "origin",
                List.of("Colombia", "Ethiopia", "Guatemala", "Sumatra")),
            List.of(
                "A {roast} roast from {origin}, {weight} bag.",
                "Notes of chocolate, citrus and caramel."),
            false),
        new CategorySpec(
            "Home > Bedding > Sheets",
            List.of("Dreamweave", "Linen & Co", "Restwell"),
            List.of("Percale", "Sateen", "Linen"),
            List.of("Sheet Set", "Fitted Sheet", "Duvet Cover Set"),
            30,
            280,
            attrs(
                "size",
                List.of("Twin", "Full", "Queen", "King"),
                "color",
                List.of("White", "Ivory", "Grey", "Sage", "Navy"),
                "thread count",
                List.of("300", "400", "600")),
            List.of(
                "{thread count} thread count cotton, {size} size.",
                "Deep pockets fit mattresses up to 40 cm."),
            false),
        new CategorySpec(
            "Home > Bath > Towels",
            List.of("Linen & Co", "Restwell", "Seaside Mills"),
            List.of("Plush", "Quick Dry", "Spa"),
            List.of("Bath Towel Set", "Hand Towel", "Beach Towel"),
            10,
            90,
            attrs(
                "color",
                List.of("White", "Grey", "Blue", "Sand", "Coral"),
                "material",
                List.of("Turkish cotton", "bamboo", "microfiber")),
            List.of(
                "Soft, absorbent {material}.", "Machine washable; gets softer with every wash."),
            false),
        new CategorySpec(
            "Toys > Building Sets",
            List.of("Brickworks", "Blockstar", "Tinker Labs"),
            List.of("City", "Space", "Castle", "Robotics"),
            List.of("Building Set", "Construction Kit", "Starter Brick Box"),
            15,
            220,
            attrs(
                "pieces",
                List.of("150 pieces", "500 pieces", "1200 pieces"),
                "age",
                List.of("4+", "6+", "8+", "12+")),
            List.of(
                "{pieces} for builders aged {age}.", "Compatible with other major brick brands."),
            false),
        new CategorySpec(
            "Beauty > Skincare > Sunscreen",
            List.of("Sunward", "Derma Pure", "Seaside Mills"),
            List.of("Daily", "Sport", "Mineral"),
            List.of("Sunscreen Lotion", "Mineral Sunscreen", "Sunscreen Stick"),
            6,
            40,
            attrs(
                "spf",
                List.of("SPF 30", "SPF 50", "SPF 50+"),
                "volume",
                List.of("50 ml", "100 ml", "200 ml")),
            List.of(
                "Broad-spectrum {spf} protection, {volume}.", "Water resistant for 80 minutes."),
            false),
        new CategorySpec(
            "Garden > Tools > Pruners",
            List.of("Greenthumb", "Castwell", "Orchard Pro"),
            List.of("Bypass", "Anvil", "Ratchet"),
            List.of("Pruning Shears", "Loppers", "Hedge Shears"),
            12,
            90,
            attrs(
                "cut capacity",
                List.of("15 mm", "20 mm", "25 mm", "40 mm"),
                "blade",
                List.of("carbon steel", "stainless steel")),
            List.of(
                "Cuts branches up to {cut capacity} with a {blade} blade.",
                "Non-slip grips and a safety lock."),
            false));
  }
}
