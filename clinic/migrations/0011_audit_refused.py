from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0010_delivery_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "View"),
                    ("create", "Create"),
                    ("update", "Update"),
                    ("delete", "Delete"),
                    ("export", "Export"),
                    ("login", "Login"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logout"),
                    ("break_glass", "Emergency access"),
                    ("break_glass_miss", "Emergency access: no match"),
                    ("refused", "Access refused"),
                ],
                max_length=16,
            ),
        ),
    ]
